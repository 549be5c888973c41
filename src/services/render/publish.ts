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

/** Files sent side by side, as upload does its photos. */
const CONCURRENCY = 4;

/**
 * Pushes a group folder to `Exports/<prefix>/`, the manifest last, so a folder without
 * manifest.json is visibly incomplete. `uploaded` collects the keys as they land, for the
 * clean-up of a push that fails half-way.
 */
export async function publishGroup(
  storage: ObjectStore,
  prefix: string,
  files: readonly string[],
  o: { uploaded: string[]; onUploaded?: (done: number, total: number) => void },
): Promise<string[]> {
  const keyOf = (file: string) => `${prefix}/${basename(file)}`;
  const rest = files.filter((f) => basename(f) !== MANIFEST_FILE);
  const manifests = files.filter((f) => basename(f) === MANIFEST_FILE);
  let done = 0;
  const sent = () => o.onUploaded?.(++done, files.length);
  const outcomes = await storage.uploadMany(
    'Exports',
    rest.map((file) => ({ key: keyOf(file), body: { path: file }, contentType: contentTypeOf(file) })),
    { concurrency: CONCURRENCY, onSent: sent },
  );
  for (const [i, file] of rest.entries()) if (outcomes[i] === null) o.uploaded.push(keyOf(file));
  const failed = outcomes.find((outcome) => outcome !== null);
  if (failed) throw failed;
  for (const file of manifests) {
    await storage.upload('Exports', keyOf(file), { path: file }, { contentType: contentTypeOf(file) });
    o.uploaded.push(keyOf(file));
    sent();
  }
  return [...rest, ...manifests].map(keyOf);
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
