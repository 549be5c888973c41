import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from '../../db/backend.js';
import type { ExportedGroup } from './group.js';

/** Signed URLs handed out for a rendered group: a day. */
export const EXPORT_LINK_SECONDS = 24 * 60 * 60;

/** Where a pushed group can be fetched: its folder on this disk, or a link per file. */
export interface ExportLinks {
  /** The Exports folder on this machine, when the store is a local folder (the embedded backend). */
  onDisk?: string;
  /** File name → signed URL, when the store is remote. */
  signedUrls: Record<string, string>;
}

/**
 * The store's signed URL names a local file (`file://`) when the bucket is a folder here: the
 * group's folder is given once; otherwise each file gets its link.
 */
export async function exportLinks(storage: Pick<ObjectStore, 'signedUrl'>, group: ExportedGroup): Promise<ExportLinks> {
  const manifestUrl = await storage.signedUrl('Exports', group.manifest, EXPORT_LINK_SECONDS);
  if (manifestUrl.startsWith('file:')) return { onDisk: dirname(fileURLToPath(manifestUrl)), signedUrls: {} };
  const signedUrls: Record<string, string> = {};
  for (const key of [...(group.video ? [group.video] : []), ...group.slides]) {
    signedUrls[basename(key)] = await storage.signedUrl('Exports', key, EXPORT_LINK_SECONDS);
  }
  signedUrls[basename(group.manifest)] = manifestUrl;
  return { signedUrls };
}
