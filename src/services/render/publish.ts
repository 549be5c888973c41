import { basename } from 'node:path';
import type { ObjectStore } from '../../db/backend.js';
import { MANIFEST_FILE } from './manifest.js';

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.mp4': 'video/mp4',
  '.json': 'application/json',
};

function contentTypeOf(file: string): string {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Pushes a group folder to `Exports/<prefix>/`, one file at a time in order and the manifest
 * last, so a folder without manifest.json is visibly incomplete. `uploaded` collects the keys
 * as they land, for the clean-up of a push that fails half-way.
 */
export async function publishGroup(
  storage: ObjectStore,
  prefix: string,
  files: readonly string[],
  o: { uploaded: string[]; onUploaded?: (done: number, total: number) => void },
): Promise<string[]> {
  const ordered = [...files.filter((f) => basename(f) !== MANIFEST_FILE), ...files.filter((f) => basename(f) === MANIFEST_FILE)];
  for (const [i, file] of ordered.entries()) {
    const key = `${prefix}/${basename(file)}`;
    await storage.upload('Exports', key, { path: file }, { contentType: contentTypeOf(file) });
    o.uploaded.push(key);
    o.onUploaded?.(i + 1, ordered.length);
  }
  return ordered.map((file) => `${prefix}/${basename(file)}`);
}

/** Best effort: what is left of a failed push, plus anything listed under its folder. */
export async function removeGroupObjects(storage: ObjectStore, prefix: string, uploaded: readonly string[]): Promise<boolean> {
  try {
    const listed = (await storage.list('Exports', `${prefix}/`)).map((o) => o.key);
    const keys = [...new Set([...uploaded, ...listed])];
    if (keys.length > 0) await storage.remove('Exports', keys);
    return true;
  } catch {
    return false;
  }
}
