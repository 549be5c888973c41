import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ObjectStore } from '../../db/backend.js';
import type { SlideGroup } from '../../db/types.js';
import { MANIFEST_FILE, type Manifest, type ManifestPost } from '../render/manifest.js';
import { localFolderOf } from './media.js';

/** A group's post text: `text` is the caption and its hashtags (a video's title, a photo post's description), `caption` alone a photo post's title. */
export interface GroupPostText {
  caption: string | null;
  text: string;
}

/** The manifest's post as text; null when the group has none. */
export function postText(post: Partial<ManifestPost> | undefined): GroupPostText | null {
  const caption = post?.caption?.trim() || null;
  const parts = [caption, ...(post?.hashtags ?? []).map((tag) => tag.trim())].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? { caption, text: parts.join(' ') } : null;
}

/**
 * The post text the render wrote into the group's manifest.json (the local folder's, else the one
 * in Exports); null for a group without one, or rendered before sessions had post text.
 */
export async function groupPostText(storage: ObjectStore, group: SlideGroup, dirs: { data: string; cache: string }): Promise<GroupPostText | null> {
  const local = join(localFolderOf(group, dirs.data), MANIFEST_FILE);
  let file = local;
  if (!existsSync(local)) {
    if (isAbsolute(group.folder)) return null;
    file = join(dirs.cache, 'publish', group.id, MANIFEST_FILE);
    await mkdir(join(dirs.cache, 'publish', group.id), { recursive: true });
    try {
      await storage.download('Exports', `${group.folder}/${MANIFEST_FILE}`, file);
    } catch {
      return null;
    }
  }
  try {
    return postText((JSON.parse(await readFile(file, 'utf8')) as Partial<Manifest>).post);
  } catch {
    return null;
  }
}
