import type { Backend } from '../../db/backend.js';
import type { MediaSession } from '../../db/types.js';
import type { Warning } from '../../warning.js';
import { assetKind, checkLookValue, LOOK_FIELD_NAMES, parseStoredLook, type LookInput, type StoredLook } from '../render/look.js';
import { storeAsset } from '../upload/asset.js';
import { checkPostSettings, clears, parseStoredPost, type PostSettings } from './post.js';

/** What a session keeps beside its items: its look and its post (0007). */
export interface SessionLook {
  look: StoredLook;
  post: PostSettings;
}

export interface StoredChange extends SessionLook {
  /** Music and font files that went to the Sources bucket now. */
  uploaded: string[];
  warnings: Warning[];
}

/**
 * The look and post a session stores once `change` is applied over `base`: every value checked
 * (InvalidSetting naming its field), every music or font file given as a path made one of the
 * project's files (uploaded once, content-addressed).
 */
export async function applyLookChange(
  backend: Backend,
  change: { look?: LookInput; post?: PostSettings },
  base: SessionLook = { look: {}, post: {} },
): Promise<StoredChange> {
  const look: Record<string, unknown> = { ...base.look };
  const uploaded: string[] = [];
  for (const field of LOOK_FIELD_NAMES) {
    const value = change.look?.[field];
    if (value === undefined) continue;
    const kind = assetKind(field);
    if (kind && typeof value === 'object' && 'path' in value) {
      const stored = await storeAsset(backend, value.path, kind);
      if (stored.uploaded) uploaded.push(stored.ref.name);
      look[field] = stored.ref;
    } else {
      look[field] = checkLookValue(field, value);
    }
  }
  const post: PostSettings = { ...base.post };
  for (const [field, value] of Object.entries(change.post ?? {})) {
    if (value === undefined) continue;
    if ((field === 'postCaption' || field === 'hashtags') && clears(value as string | string[])) delete post[field];
    else (post as Record<string, unknown>)[field] = value;
  }
  const warnings = checkPostSettings(post);
  return { look: look as StoredLook, post, uploaded, warnings };
}

/** Checks what a change sets, files aside (they are checked when stored), before anything is asked or written; returns warnings. */
export function checkLookChange(change: { look?: LookInput; post?: PostSettings }): Warning[] {
  for (const field of LOOK_FIELD_NAMES) {
    const value = change.look?.[field];
    if (value !== undefined && !assetKind(field)) checkLookValue(field, value);
  }
  return checkPostSettings(change.post ?? {});
}

/** The session's stored look and post, each setting checked (StoredSettingInvalid names the session and the setting). */
export function storedLookOf(session: MediaSession): SessionLook {
  return {
    look: parseStoredLook(session.id, session.render_settings ?? {}).look,
    post: parseStoredPost(session.id, session.post_settings ?? {}),
  };
}

/** For an edit, which replaces them: the settings this version does not take are left out and named. */
export function editableLookOf(session: MediaSession): SessionLook & { dropped: string[] } {
  const { look, dropped } = parseStoredLook(session.id, session.render_settings ?? {}, 'lenient');
  let post: PostSettings = {};
  const droppedPost: string[] = [];
  try {
    post = parseStoredPost(session.id, session.post_settings ?? {});
  } catch {
    droppedPost.push(...Object.keys(session.post_settings ?? {}));
  }
  return { look, post, dropped: [...dropped, ...droppedPost] };
}
