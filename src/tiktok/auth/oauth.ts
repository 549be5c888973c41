import { z } from 'zod';
import { AuthError, BackendUnavailable, messageOf } from '../../errors.js';
import { apiUrl, type TikTokEndpoints } from '../access.js';
import type { TikTokApp } from '../settings.js';

export const DEFAULT_SCOPES = ['user.info.basic', 'video.upload'] as const;

/** TikTok's scopes travel comma-separated. */
export function splitScope(scope: string): string[] {
  return scope.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Login Kit's authorize URL for one attempt. */
export function authorizeUrl(o: {
  endpoints: TikTokEndpoints;
  clientKey: string;
  scopes: readonly string[];
  redirectUri: string;
  state: string;
  codeChallenge: string;
}): string {
  const url = new URL(o.endpoints.authUrl);
  url.searchParams.set('client_key', o.clientKey);
  url.searchParams.set('scope', o.scopes.join(','));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', o.redirectUri);
  url.searchParams.set('state', o.state);
  url.searchParams.set('code_challenge', o.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** What the token endpoint hands out, with lifetimes turned into instants. */
export interface TokenSet {
  openId: string;
  scopes: string[];
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** The OAuth endpoints answer flat errors: `{ error, error_description, log_id }`. */
export class TikTokOAuthError extends AuthError {
  readonly code: string;
  readonly logId: string | undefined;
  constructor(message: string, code: string, logId: string | undefined, hint: string) {
    super(message, { hint });
    this.code = code;
    this.logId = logId;
  }
}

const tokenReply = z.object({
  open_id: z.string().min(1),
  scope: z.string(),
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1),
  refresh_expires_in: z.number().positive(),
});

const oauthFailure = z.object({ error: z.string().min(1), error_description: z.string().optional(), log_id: z.string().optional() });

export const RECONNECT = 'run slides tiktok connect';

/** Any request to TikTok: a network failure is exit 5 naming the host. */
export async function tiktokFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new BackendUnavailable(`TikTok (${new URL(url).host}) could not be reached: ${messageOf(error)}`, {
      hint: 'check your network, or SLIDES_TIKTOK_API_URL',
    });
  }
}

async function postForm(endpoints: TikTokEndpoints, path: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const res = await tiktokFetch(apiUrl(endpoints, path), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

/** TikTok may answer an error with HTTP 200, so the body decides. */
function failureOf(reply: { status: number; body: unknown }, what: string, hint: string): TikTokOAuthError | null {
  const failed = oauthFailure.safeParse(reply.body);
  if (failed.success) {
    const { error, error_description: description, log_id: logId } = failed.data;
    return new TikTokOAuthError(`TikTok refused ${what}: ${error}${description ? ` (${description})` : ''}`, error, logId, hint);
  }
  if (reply.status >= 400) return new TikTokOAuthError(`TikTok refused ${what}: HTTP ${reply.status}`, `http_${reply.status}`, undefined, hint);
  return null;
}

function tokenSet(reply: { status: number; body: unknown }, now: Date, what: string, hint: string): TokenSet {
  const failure = failureOf(reply, what, hint);
  if (failure) throw failure;
  const parsed = tokenReply.safeParse(reply.body);
  if (!parsed.success) throw new TikTokOAuthError(`TikTok answered ${what} with no usable tokens`, 'bad_reply', undefined, hint);
  const t = parsed.data;
  return {
    openId: t.open_id,
    scopes: splitScope(t.scope),
    accessToken: t.access_token,
    accessExpiresAt: new Date(now.getTime() + t.expires_in * 1000),
    refreshToken: t.refresh_token,
    refreshExpiresAt: new Date(now.getTime() + t.refresh_expires_in * 1000),
  };
}

/** The code from the browser, exchanged with the verifier and the very same redirect_uri. */
export async function exchangeCode(
  o: { endpoints: TikTokEndpoints; app: TikTokApp; code: string; codeVerifier: string; redirectUri: string },
  now: Date,
): Promise<TokenSet> {
  const reply = await postForm(o.endpoints, '/v2/oauth/token/', {
    client_key: o.app.clientKey,
    client_secret: o.app.clientSecret,
    code: o.code,
    grant_type: 'authorization_code',
    redirect_uri: o.redirectUri,
    code_verifier: o.codeVerifier,
  });
  return tokenSet(reply, now, 'the sign-in code', `check tiktok.clientKey and tiktok.clientSecret, then ${RECONNECT}`);
}

/** A new access token; TikTok may rotate the refresh token too, so the caller stores the whole set. */
export async function refreshTokens(o: { endpoints: TikTokEndpoints; app: TikTokApp; refreshToken: string }, now: Date): Promise<TokenSet> {
  const reply = await postForm(o.endpoints, '/v2/oauth/token/', {
    client_key: o.app.clientKey,
    client_secret: o.app.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: o.refreshToken,
  });
  return tokenSet(reply, now, 'the refresh token (expired or revoked)', RECONNECT);
}

export async function revokeToken(o: { endpoints: TikTokEndpoints; app: TikTokApp; token: string }): Promise<void> {
  const reply = await postForm(o.endpoints, '/v2/oauth/revoke/', {
    client_key: o.app.clientKey,
    client_secret: o.app.clientSecret,
    token: o.token,
  });
  const failure = failureOf(reply, 'to revoke the token', 'the account may already be disconnected in the TikTok app');
  if (failure) throw failure;
}
