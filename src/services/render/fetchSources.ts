import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import pLimit from 'p-limit';
import { messageOf, SlidesError } from '../../errors.js';
import type { ObjectStore } from '../../db/backend.js';
import type { SourceFile } from '../../db/types.js';
import { sha256File } from '../../sha256.js';

/** A source the Sources bucket does not give back, or gives back changed. */
export class SourceUnavailable extends SlidesError {}

/** Where a profile keeps its local copies of Sources objects, under its cache folder. */
export function sourcesCacheDir(cache: string): string {
  return join(cache, 'sources');
}

/**
 * Local copies of the sources, downloaded from the Sources bucket into `cacheDir` named by their
 * sha256 and reused while their bytes still hash to it. Returns one path per source, in order.
 */
export async function fetchSources(
  storage: ObjectStore,
  sources: readonly SourceFile[],
  o: { cacheDir: string; onFetched?: (done: number) => void },
): Promise<string[]> {
  await mkdir(o.cacheDir, { recursive: true });
  const limit = pLimit(4);
  let done = 0;
  const unique = new Map<string, Promise<string>>();
  const fetchOne = (source: SourceFile) => {
    let pending = unique.get(source.file_path);
    if (!pending) {
      pending = limit(() => fetchSource(storage, source, o.cacheDir));
      unique.set(source.file_path, pending);
    }
    return pending.then((path) => {
      o.onFetched?.(++done);
      return path;
    });
  };
  return Promise.all(sources.map(fetchOne));
}

async function fetchSource(storage: ObjectStore, source: SourceFile, cacheDir: string): Promise<string> {
  const name = source.sha256 ?? createHash('sha256').update(source.file_path).digest('hex');
  const path = join(cacheDir, `${name}${extname(source.file_path).toLowerCase()}`);
  if (source.sha256 !== null && (await hashOrNull(path)) === source.sha256) return path;
  const label = source.original_name ? `${source.original_name} (Sources/${source.file_path})` : `Sources/${source.file_path}`;
  try {
    await storage.download('Sources', source.file_path, path);
  } catch (error) {
    throw new SourceUnavailable(`could not fetch ${label}: ${messageOf(error)}`, {
      hint: 'upload the file again with slides upload, or remove it from the session',
      cause: error,
    });
  }
  if (source.sha256 !== null && (await sha256File(path)) !== source.sha256) {
    await rm(path, { force: true });
    throw new SourceUnavailable(`${label} is not the file that was uploaded (its sha256 differs)`, {
      hint: 'upload the file again with slides upload',
    });
  }
  return path;
}

async function hashOrNull(path: string): Promise<string | null> {
  try {
    return await sha256File(path);
  } catch {
    return null;
  }
}
