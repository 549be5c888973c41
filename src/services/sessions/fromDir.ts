import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Rows } from '../../db/backend.js';
import type { MediaType, SourceFile } from '../../db/types.js';
import { InvalidSetting, UsageError } from '../../errors.js';
import { candidateOf, type Candidate } from './candidates.js';
import { selectIn } from '../../db/selectIn.js';
import { detectMedia } from '../upload/detect.js';
import { sha256File } from '../../sha256.js';

interface LocalMedia {
  path: string;
  type: MediaType;
  modified: Date;
}

/**
 * `--from DIR`: the uploaded source files whose content (sha256) matches a photo or clip in DIR
 * (not its subfolders), named as they are there. A file not uploaded yet is an error, not a skip,
 * so a session never silently misses part of the folder.
 */
export async function candidatesFromDir(rows: Rows, dir: string, type?: MediaType): Promise<Candidate[]> {
  const media = (await mediaIn(dir)).filter((m) => !type || m.type === type);
  if (media.length === 0) {
    throw new InvalidSetting('from', dir, `has no ${type ? `${type}s` : 'photos or videos'} in it`);
  }
  const limit = pLimit(4);
  const hashes = await Promise.all(media.map((m) => limit(() => sha256File(m.path))));
  const files = await selectIn(rows, 'source_files', 'sha256', [...new Set(hashes)]);
  const bySha = new Map(files.map((f) => [f.sha256, f]));
  const missing = media.filter((_, i) => !bySha.has(hashes[i] as string));
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((m) => m.path);
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    throw new UsageError(`${missing.length} of the ${media.length} files in ${dir} are not uploaded yet: ${names.join(', ')}${more}`, {
      hint: `run slides upload ${dir} first`,
    });
  }
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  media.forEach((m, i) => {
    const file = bySha.get(hashes[i] as string) as SourceFile;
    if (seen.has(file.id)) return;
    seen.add(file.id);
    candidates.push(candidateOf(file, m));
  });
  return candidates;
}

/** Photos and clips in DIR, recognised by content as `slides upload` does; hidden files and the rest (sidecar captions…) are ignored. */
async function mediaIn(dir: string): Promise<LocalMedia[]> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new InvalidSetting('from', dir, 'is not a folder');
    names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidSetting('from', dir, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`);
  }
  const limit = pLimit(8);
  const found = await Promise.all(
    names.map((name) => limit(async (): Promise<LocalMedia | undefined> => {
      const path = join(dir, name);
      const info = await stat(path);
      if (!info.isFile() || info.size === 0) return undefined;
      const detected = await detectMedia(path).catch(() => undefined);
      return detected && { path, type: detected.kind, modified: info.mtime };
    })),
  );
  return found.filter((m): m is LocalMedia => m !== undefined);
}
