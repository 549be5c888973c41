import { basename } from 'node:path';
import type { ObjectStore } from '../../db/backend.js';
import { inStage, type OnRenderEvent } from './events.js';
import type { ExportedGroup, GroupFiles } from './group.js';
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

/** The publish step: the group's files into `Exports/<folder>/`, manifest last. */
export async function exportGroup(
  storage: ObjectStore,
  folder: string,
  files: GroupFiles,
  o: { uploaded: string[]; report: OnRenderEvent },
): Promise<ExportedGroup> {
  const all = [...files.slides, ...(files.video ? [files.video] : []), files.manifest];
  await inStage(
    o.report,
    'upload',
    all.length,
    () =>
      publishGroup(storage, folder, all, {
        uploaded: o.uploaded,
        onUploaded: (done, total) => o.report({ type: 'files', stage: 'upload', done, total }),
      }),
    () => ({ folder }),
  );
  return {
    folder,
    slides: files.slides.map((file) => `${folder}/${basename(file)}`),
    video: files.video ? `${folder}/${basename(files.video)}` : null,
    manifest: `${folder}/${basename(files.manifest)}`,
  };
}
