import type { Backend } from '../../db/backend.js';
import { SlidesError } from '../../errors.js';
import { openKeyRing, type KeySource } from '../crypto/keyRing.js';
import { DEFAULT_ENDPOINTS, tiktokApp, tiktokEndpoints, AppNotConfigured } from '../settings.js';
import { readConnection } from './account.js';
import type { TikTokHome } from './open.js';
import { tiktokAccess } from './tiktokAccess.js';
import { fetchUserInfo, TikTokUserInfoError } from './userInfo.js';

export interface AccountStatus {
  app: { clientKey: string | null; clientSecret: boolean };
  endpoints: { authUrl: string; apiUrl: string; custom: boolean };
  account: {
    openId: string;
    displayName: string | null;
    scopes: string[];
    accessExpiresAt: string | null;
    refreshExpiresAt: string | null;
    keyId: string | null;
    /** Where the key that opens the tokens is, or null when this machine lacks it. */
    key: KeySource | null;
  } | null;
  /** TikTok's answer to a user info call with the stored token (refreshed first when due). */
  token: { ok: true; refreshed: boolean } | { ok: false; error: SlidesError } | null;
  /** From slide_group_posts: drafts sent in the last 24 h (TikTok keeps at most 5 pending), posts published today. */
  posts: { draftsLast24h: number; publishedToday: number };
}

const DAY_MS = 24 * 60 * 60_000;

async function postCounts(backend: Pick<Backend, 'rows'>, now: Date, dayStart: Date): Promise<AccountStatus['posts']> {
  const drafts = await backend.rows.select('slide_group_posts', {
    where: { mode: 'draft', status: { neq: 'failed' }, created_at: { gte: new Date(now.getTime() - DAY_MS).toISOString() } },
  });
  const published = await backend.rows.select('slide_group_posts', {
    where: { status: 'published', finished_at: { gte: dayStart.toISOString() } },
  });
  return { draftsLast24h: drafts.length, publishedToday: published.length };
}

/**
 * Everything `slides tiktok status` and doctor say about the account: the app's settings (never
 * the secret), the stored account and its expiries, whether this machine has the key, a live user
 * info call (which refreshes an expired access token and stores the rotated refresh token), and
 * the day's posts. Nothing is posted.
 */
export async function accountStatus(
  deps: { home: TikTokHome; backend: Pick<Backend, 'rows' | 'identity'>; dayStart: Date; onRefresh?(): void },
  o: { live: boolean },
): Promise<AccountStatus> {
  const { home, backend } = deps;
  const endpoints = tiktokEndpoints(home.config);
  let app: AccountStatus['app'] = { clientKey: home.config.get('tiktok.clientKey') ?? null, clientSecret: false };
  try {
    app = { clientKey: (await tiktokApp(home.config, home)).clientKey, clientSecret: true };
  } catch (error) {
    if (!(error instanceof AppNotConfigured)) throw error;
    app.clientSecret = !error.missing.includes('tiktok.clientSecret');
  }
  const keys = await openKeyRing(home);
  const connection = await readConnection(backend.rows, backend.identity.userId);
  const now = home.clock.now();
  const status: AccountStatus = {
    app,
    endpoints: { ...endpoints, custom: endpoints.authUrl !== DEFAULT_ENDPOINTS.authUrl || endpoints.apiUrl !== DEFAULT_ENDPOINTS.apiUrl },
    account: null,
    token: null,
    posts: await postCounts(backend, now, deps.dayStart),
  };
  if (!connection) return status;
  const opener = connection.keyId ? keys.find(connection.keyId) : null;
  const key: KeySource | null = opener ? (opener.id === keys.current()?.id ? (keys.source() as KeySource) : 'profile') : null;
  status.account = {
    openId: connection.openId,
    displayName: connection.displayName,
    scopes: connection.scopes,
    accessExpiresAt: connection.accessExpiresAt?.toISOString() ?? null,
    refreshExpiresAt: connection.refreshExpiresAt?.toISOString() ?? null,
    keyId: connection.keyId,
    key,
  };
  if (!o.live) return status;
  let refreshed = false;
  try {
    const access = await tiktokAccess({
      rows: backend.rows,
      userId: backend.identity.userId,
      keys,
      app: await tiktokApp(home.config, home),
      endpoints,
      clock: home.clock,
      onRefresh: () => {
        refreshed = true;
        deps.onRefresh?.();
      },
    });
    try {
      await fetchUserInfo(endpoints, await access.accessToken());
    } catch (error) {
      if (!(error instanceof TikTokUserInfoError && error.code === 'access_token_invalid') || refreshed) throw error;
      await fetchUserInfo(endpoints, await access.refresh());
    }
    const fresh = access.connection;
    status.account.accessExpiresAt = fresh.accessExpiresAt?.toISOString() ?? null;
    status.account.refreshExpiresAt = fresh.refreshExpiresAt?.toISOString() ?? null;
    status.account.scopes = fresh.scopes;
    status.token = { ok: true, refreshed };
  } catch (error) {
    if (!(error instanceof SlidesError)) throw error;
    status.token = { ok: false, error };
  }
  return status;
}
