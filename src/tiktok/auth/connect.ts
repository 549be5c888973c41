import { randomBytes } from 'node:crypto';
import { startCallbackServer } from '../../auth/callback.js';
import type { Backend } from '../../db/backend.js';
import { messageOf } from '../../errors.js';
import { openKeyRing } from '../crypto/keyRing.js';
import { tiktokApp, tiktokEndpoints } from '../settings.js';
import { saveConnection } from './account.js';
import { authorizeUrl, DEFAULT_SCOPES, exchangeCode } from './oauth.js';
import type { TikTokHome } from './open.js';
import { codeVerifier, hexCodeChallenge } from './pkce.js';
import { fetchUserInfo, type TikTokUser } from './userInfo.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5 * 60_000;

/** TikTok's registered desktop redirect is `http://127.0.0.1:*\/callback/`: the trailing slash counts. */
const CALLBACK_PATH = '/callback/';

export interface ConnectFlow {
  scopes: readonly string[];
  openBrowser: boolean;
  timeoutMs: number;
}

export interface ConnectEvents {
  /** The authorize link, and whether a browser was opened at it (if not, the user must open it). */
  authorize(url: string, opened: boolean): void;
  /** The user info call failed; the account is stored without a display name. */
  warn(line: string): void;
}

export interface Connected {
  openId: string;
  displayName: string | null;
  scopes: string[];
  /** Asked for but not granted (the creator unticked them on TikTok's page). */
  notGranted: string[];
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
}

/** user.info.basic is always asked: without it slides cannot say which account is connected. */
export function connectScopes(extra: readonly string[] = []): string[] {
  return [...new Set([...DEFAULT_SCOPES, ...extra])];
}

/**
 * Login Kit for Desktop: a one-shot callback server on 127.0.0.1, a fresh state and PKCE verifier
 * (hex challenge), the code exchanged with the same redirect_uri; then the account and its sealed
 * tokens are stored together. The backend is opened only once the browser has answered, so a
 * local database is not held while the creator reads TikTok's page.
 */
export async function connectTikTok(
  deps: { home: TikTokHome; backend(): Promise<Pick<Backend, 'rows' | 'identity'>>; openBrowser(url: string): Promise<void> },
  flow: ConnectFlow,
  events: ConnectEvents,
): Promise<Connected> {
  const { home } = deps;
  const app = await tiktokApp(home.config, home);
  const endpoints = tiktokEndpoints(home.config);
  const keys = await openKeyRing(home);
  const verifier = codeVerifier();
  const state = randomBytes(24).toString('base64url');
  const server = await startCallbackServer({
    state,
    timeoutMs: flow.timeoutMs,
    path: CALLBACK_PATH,
    service: { name: 'TikTok', retry: 'slides tiktok connect' },
  });
  try {
    const url = authorizeUrl({
      endpoints,
      clientKey: app.clientKey,
      scopes: flow.scopes,
      redirectUri: server.redirectUri,
      state,
      codeChallenge: hexCodeChallenge(verifier),
    });
    const opened = flow.openBrowser ? await deps.openBrowser(url).then(() => true, () => false) : false;
    events.authorize(url, opened);
    const callback = await server.callback;
    let tokens;
    try {
      tokens = await exchangeCode({ endpoints, app, code: callback.code, codeVerifier: verifier, redirectUri: server.redirectUri }, home.clock.now());
    } catch (error) {
      callback.reply({ ok: false, title: 'Not connected', detail: `TikTok did not accept the sign-in: ${messageOf(error)}. Run slides tiktok connect again.` });
      throw error;
    }
    let user: TikTokUser = { openId: tokens.openId, unionId: null, displayName: null, avatarUrl: null };
    try {
      user = await fetchUserInfo(endpoints, tokens.accessToken);
    } catch (error) {
      events.warn(`could not read the account's display name: ${messageOf(error)}`);
    }
    try {
      const backend = await deps.backend();
      await saveConnection(backend.rows, keys, { userId: backend.identity.userId, tokens, user, now: home.clock.now() });
    } catch (error) {
      callback.reply({ ok: false, title: 'Not connected', detail: 'slides could not store the account; see the terminal.' });
      throw error;
    }
    const who = user.displayName ?? tokens.openId;
    callback.reply({ ok: true, title: 'TikTok connected', detail: `slides can now send slide groups to ${who}. You can close this tab and return to the terminal.` });
    return {
      openId: tokens.openId,
      displayName: user.displayName,
      scopes: tokens.scopes,
      notGranted: flow.scopes.filter((s) => !tokens.scopes.includes(s)),
      accessExpiresAt: tokens.accessExpiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
    };
  } finally {
    server.close();
  }
}
