import type { Clock } from '../../clock.js';
import type { Rows } from '../../db/backend.js';
import { AuthError } from '../../errors.js';
import type { TikTokAccess, TikTokEndpoints } from '../access.js';
import type { KeyRing } from '../crypto/keyRing.js';
import type { TikTokApp } from '../settings.js';
import { openToken, readConnection, sealTokens, type Connection } from './account.js';
import { RECONNECT, refreshTokens, splitScope } from './oauth.js';

/** An access token this close to expiry is refreshed before use. */
export const REFRESH_MARGIN_MS = 60_000;

export interface AccessDeps {
  rows: Rows;
  userId: string;
  keys: KeyRing;
  app: TikTokApp;
  endpoints: TikTokEndpoints;
  clock: Clock;
  /** After each refresh, for a debug line. */
  onRefresh?(e: { accessExpiresAt: Date; refreshRotated: boolean }): void;
}

export function notConnected(): AuthError {
  return new AuthError('no TikTok account is connected to this profile', { hint: RECONNECT });
}

/**
 * The connected account of a user, its tokens opened on demand: the access token is refreshed
 * when it expires within a minute (or on request), and every refresh stores the rotated refresh
 * token at once. Concurrent callers share one refresh.
 */
export async function tiktokAccess(deps: AccessDeps): Promise<TikTokAccess & { readonly connection: Connection }> {
  let connection = await readConnection(deps.rows, deps.userId);
  if (!connection) throw notConnected();
  const openId = connection.openId;
  // Opening the refresh token now names a missing key before any work starts.
  openToken(deps.keys, connection.row, 'refresh_token');
  let inFlight: Promise<string> | undefined;

  const refreshNow = async (): Promise<string> => {
    const current = connection as Connection;
    const now = deps.clock.now();
    if (current.refreshExpiresAt && current.refreshExpiresAt.getTime() <= now.getTime()) {
      throw new AuthError(`the TikTok refresh token expired on ${current.refreshExpiresAt.toISOString()}`, { hint: RECONNECT });
    }
    const oldRefresh = openToken(deps.keys, current.row, 'refresh_token');
    const tokens = await refreshTokens({ endpoints: deps.endpoints, app: deps.app, refreshToken: oldRefresh }, now);
    const sealed = sealTokens(deps.keys, deps.userId, tokens);
    const [row] = await deps.rows.update(
      'tiktok_auth',
      { ...sealed, updated_at: now.toISOString() },
      { user_id: deps.userId, tiktok_account_id: openId },
    );
    if (!row) throw new AuthError('the TikTok account was disconnected while slides was using it', { hint: RECONNECT });
    connection = { ...current, scopes: splitScope(row.scope), accessExpiresAt: tokens.accessExpiresAt, refreshExpiresAt: tokens.refreshExpiresAt, row };
    deps.onRefresh?.({ accessExpiresAt: tokens.accessExpiresAt, refreshRotated: tokens.refreshToken !== oldRefresh });
    return tokens.accessToken;
  };

  const refresh = () => (inFlight ??= refreshNow().finally(() => (inFlight = undefined)));

  return {
    openId,
    get scopes() {
      return (connection as Connection).scopes;
    },
    get connection() {
      return connection as Connection;
    },
    async accessToken() {
      if (inFlight) return inFlight;
      const current = connection as Connection;
      const expiresAt = current.accessExpiresAt?.getTime() ?? 0;
      if (expiresAt - deps.clock.now().getTime() <= REFRESH_MARGIN_MS) return refresh();
      return openToken(deps.keys, current.row, 'access_token');
    },
    refresh,
  };
}
