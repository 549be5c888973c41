import type { MediaSession } from '../../db/types.js';
import { storedLookOf } from '../sessions/sessionLook.js';
import type { PostSettings } from '../sessions/post.js';
import { fetchAsset } from '../upload/asset.js';
import { sourcesCacheDir } from './fetchSources.js';
import type { RenderDeps, RenderOptions } from './group.js';
import { assetKind, checkLookValue, LOOK_FIELD_NAMES, type AssetChoice, lookOfFlags, resolveLook, type LookField, type LookSource, type ResolvedLook } from './look.js';

/** A music or font file the render reads: where it is on this machine, and the name it goes by. */
export interface LookFile {
  path: string;
  name: string;
}

export interface RenderLook {
  look: ResolvedLook;
  /** Where each value came from: this render's flags, the session, the config, the built-in default. */
  from: Partial<Record<LookField, LookSource>>;
  files: { audio?: LookFile; font?: LookFile };
  post: PostSettings;
}

/**
 * The look a render of `session` uses: its flags > the session's stored look > the config's
 * defaults > built-in. The session's music and font come from the project's Sources bucket
 * (cached by sha256), so any machine renders the group alike; a stored setting this version does
 * not take is refused here, before anything is claimed.
 */
export async function renderLook(deps: Pick<RenderDeps, 'backend' | 'paths'>, options: RenderOptions, session: MediaSession): Promise<RenderLook> {
  const stored = storedLookOf(session);
  const flags = lookOfFlags(options);
  for (const field of LOOK_FIELD_NAMES) if (flags[field] !== undefined && !assetKind(field)) checkLookValue(field, flags[field]);
  const { look, from } = resolveLook({ flags, session: stored.look, config: options.lookDefaults });
  const files: RenderLook['files'] = {};
  for (const field of LOOK_FIELD_NAMES) {
    const kind = assetKind(field);
    const value = look[field] as AssetChoice | undefined;
    if (!kind || value === undefined || typeof value !== 'object' || (kind === 'audio' && !options.video)) continue;
    files[kind] =
      'path' in value
        ? { path: value.path, name: value.path.split(/[\\/]/).pop() ?? value.path }
        : {
            path: await fetchAsset(deps.backend, value, { cacheDir: sourcesCacheDir(deps.paths.cache), sessionId: session.id }),
            name: value.name,
          };
  }
  return { look, from, files, post: stored.post };
}
