import type { Clock } from '../../clock.js';
import type { ResolvedConfig } from '../../config.js';
import type { Backend } from '../../db/backend.js';
import type { TikTokAccess } from '../access.js';
import { openKeyRing, secretsHome, type SecretsHome } from '../crypto/keyRing.js';
import { tiktokApp, tiktokEndpoints } from '../settings.js';
import type { Connection } from './account.js';
import { tiktokAccess, type AccessDeps } from './tiktokAccess.js';

/** A profile's TikTok settings and secrets: what connect, status and publish start from. */
export interface TikTokHome extends SecretsHome {
  config: Pick<ResolvedConfig, 'get'>;
  clock: Clock;
}

/** A profile's TikTok home from a command's context. */
export function tiktokHome(
  ctx: Parameters<typeof secretsHome>[0] & { config: Pick<ResolvedConfig, 'get'>; clock: Clock },
): TikTokHome {
  return { ...secretsHome(ctx), config: ctx.config, clock: ctx.clock };
}

/**
 * The connected account of the backend's user, built from the profile's app settings and token key.
 * Throws AuthError (exit 3) when nothing is connected, the key is missing or TikTok refuses the refresh.
 */
export async function openTikTokAccess(
  backend: Pick<Backend, 'rows' | 'identity'>,
  home: TikTokHome,
  onRefresh?: AccessDeps['onRefresh'],
): Promise<TikTokAccess & { readonly connection: Connection }> {
  return tiktokAccess({
    rows: backend.rows,
    userId: backend.identity.userId,
    keys: await openKeyRing(home),
    app: await tiktokApp(home.config, home),
    endpoints: tiktokEndpoints(home.config),
    clock: home.clock,
    onRefresh,
  });
}
