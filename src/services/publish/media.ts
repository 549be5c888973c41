import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { ObjectStore } from '../../db/backend.js';
import type { SlideGroup } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import { LIMITS } from '../../tiktok/publish/guidelines.js';

export interface LocalVideo {
  path: string;
  size: number;
  /** Downloaded from Exports because this machine does not have the group folder. */
  downloaded: boolean;
}

/** Where the group's folder is on this machine when it was rendered here with the default output folder. */
export function localFolderOf(group: SlideGroup, dataDir: string): string {
  return isAbsolute(group.folder) ? group.folder : join(dataDir, 'groups', group.session_id, basename(group.folder));
}

/** The group's MP4 on this machine: the local group folder's, else downloaded from Exports into the cache. */
export async function groupVideo(storage: ObjectStore, group: SlideGroup, dirs: { data: string; cache: string }): Promise<LocalVideo> {
  if (!group.video_path) {
    throw new UsageError(`slide group ${group.group_number} (${group.id.slice(0, 8)}) has no video (rendered without one)`, {
      hint: 'publish its slides as photos, or render a group with a video',
    });
  }
  const local = isAbsolute(group.video_path) ? group.video_path : join(localFolderOf(group, dirs.data), basename(group.video_path));
  if (existsSync(local)) return { path: local, size: (await stat(local)).size, downloaded: false };
  if (isAbsolute(group.video_path)) {
    throw new UsageError(`${local}: the group's video is gone and it was never pushed to Exports`, { hint: 'render a new group' });
  }
  const target = join(dirs.cache, 'publish', group.id, basename(group.video_path));
  await mkdir(join(dirs.cache, 'publish', group.id), { recursive: true });
  await storage.download('Exports', group.video_path, target);
  return { path: target, size: (await stat(target)).size, downloaded: true };
}

export interface GroupPhotos {
  /** Exports object keys, in slide order. */
  keys: string[];
  /** Local files of the same slides when this machine has them (for the size check). */
  localFiles: string[];
}

const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
const SLIDE = /^slide-\d+\.jpe?g$/i;

/** The group's JPEG slides in Exports, checked against TikTok's photo rules (≤ 35, JPEG, ≤ 20 MB). */
export async function groupPhotos(storage: ObjectStore, group: SlideGroup, dataDir: string): Promise<GroupPhotos> {
  if (isAbsolute(group.folder)) {
    throw new UsageError(`slide group ${group.group_number} (${group.id.slice(0, 8)}) was never pushed to Exports: TikTok pulls photos from URLs`, {
      hint: 'publish its video instead, or render a group that is uploaded',
    });
  }
  const objects = (await storage.list('Exports', `${group.folder}/`))
    .filter((o) => SLIDE.test(basename(o.key)))
    .sort((a, b) => a.key.localeCompare(b.key));
  if (objects.length === 0) throw new UsageError(`Exports/${group.folder}/ has no slides`);
  if (objects.length > LIMITS.photos) {
    throw new UsageError(`slide group ${group.group_number} has ${objects.length} slides; a TikTok photo post takes at most ${LIMITS.photos}`);
  }
  const big = objects.find((o) => o.size > MAX_PHOTO_BYTES);
  if (big) throw new UsageError(`${big.key} is ${(big.size / 1024 / 1024).toFixed(1)} MB; TikTok takes photos up to 20 MB`);
  const folder = localFolderOf(group, dataDir);
  const localFiles = objects.map((o) => join(folder, basename(o.key))).filter((f) => existsSync(f));
  return { keys: objects.map((o) => o.key), localFiles: localFiles.length === objects.length ? localFiles : [] };
}

/** Photo URLs for PULL_FROM_URL: the verified prefix joined to each Exports object key. */
export function photoUrls(prefix: string, keys: readonly string[]): string[] {
  const base = prefix.replace(/\/+$/, '');
  return keys.map((key) => `${base}/${key.split('/').map(encodeURIComponent).join('/')}`);
}
