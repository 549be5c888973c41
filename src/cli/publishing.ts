import type { Context } from '../context.js';
import type { Backend } from '../db/backend.js';
import { probeMedia } from '../media/probe.js';
import type { PublishDeps } from '../services/publish/publishGroup.js';
import { openTikTokAccess, tiktokHome } from '../tiktok/auth/open.js';
import { tiktokEndpoints } from '../tiktok/settings.js';
import { publishProgress } from './publishProgress.js';

/**
 * What `slides publish` and `slides run --due --publish` share: the connected account, TikTok's
 * endpoints, the progress line, and how a video's length is read.
 */
export async function publishing(ctx: Context, backend: Backend) {
  const access = await openTikTokAccess(backend, tiktokHome(ctx), () => ctx.io.debug('renewed the TikTok access token'));
  const progress = publishProgress(ctx.io);
  const deps: PublishDeps = { backend, clock: ctx.clock, paths: ctx.paths, endpoints: tiktokEndpoints(ctx.config), access, onEvent: progress.onEvent };
  return {
    deps,
    stop: progress.stop,
    probeDuration: async (file: string) => (await probeMedia(file)).durationSeconds ?? 0,
  };
}
