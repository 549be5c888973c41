import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json, type FakeRequest, type FakeTikTok } from './server.js';

export interface FakeUser {
  openId: string;
  unionId: string;
  displayName: string;
  avatarUrl: string;
}

export interface FakeOAuthOptions {
  clientKey?: string;
  clientSecret?: string;
  user?: Partial<FakeUser>;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /** The scopes the app may ask for (Login Kit + Content Posting in the portal). */
  appScopes?: string[];
}

interface Grant {
  openId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

interface PendingCode {
  clientKey: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  used: boolean;
}

export interface FakeOAuth {
  readonly clientKey: string;
  readonly clientSecret: string;
  readonly user: FakeUser;
  /** The authorize page's address, for SLIDES_TIKTOK_AUTH_URL. */
  readonly authUrl: string;
  /** The creator presses Cancel instead of Authorize. */
  deny: boolean;
  /** Refresh tokens by value; a rotated one is revoked. */
  readonly refreshTokens: Map<string, Grant>;
  /** Every access and refresh token handed out, for leak checks. */
  readonly issued: string[];
  /** What the token endpoint was asked, in order (grant types). */
  readonly grants: string[];
  /** The clock expiry is judged by (ms); tests move it. */
  now: () => number;
  /** As when the creator removes the app in TikTok's settings: every token stops working. */
  revokeAll(): void;
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const REGISTERED_REDIRECT = /^http:\/\/127\.0\.0\.1:\d{1,5}\/callback\/$/;

function page(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>TikTok</title><p>${text}</p>`);
}

function redirect(res: ServerResponse, to: URL): void {
  res.writeHead(302, { location: to.toString() });
  res.end();
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  json(res, status, { error, error_description: description, log_id: `fake-${randomBytes(4).toString('hex')}` });
}

function dataError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { data: {}, error: { code, message, log_id: `fake-${randomBytes(4).toString('hex')}` } });
}

const token = (prefix: string) => `${prefix}.${randomBytes(24).toString('base64url')}`;

/**
 * TikTok's Login Kit for Desktop as documented (TIKTOK.md): the authorize page (which redirects
 * back at once, as if the creator pressed Authorize), the token endpoint checking the HEX PKCE
 * challenge and that redirect_uri equals the authorize one, refresh with rotation, revoke and user info.
 */
export function installOAuth(fake: FakeTikTok, options: FakeOAuthOptions = {}): FakeOAuth {
  const user: FakeUser = {
    openId: `-000${randomBytes(8).toString('hex')}`,
    unionId: `u-${randomBytes(6).toString('hex')}`,
    displayName: 'Creator Fake',
    avatarUrl: 'https://p16.example/avatar.jpeg',
    ...options.user,
  };
  const accessTtl = options.accessTtlSeconds ?? 86_400;
  const refreshTtl = options.refreshTtlSeconds ?? 31_536_000;
  const appScopes = options.appScopes ?? ['user.info.basic', 'video.upload', 'video.publish'];
  const codes = new Map<string, PendingCode>();
  const state: FakeOAuth = {
    clientKey: options.clientKey ?? `aw${randomBytes(8).toString('hex')}`,
    clientSecret: options.clientSecret ?? randomBytes(16).toString('hex'),
    user,
    authUrl: `${fake.url}/v2/auth/authorize/`,
    deny: false,
    refreshTokens: new Map(),
    issued: [],
    grants: [],
    now: () => Date.now(),
    revokeAll() {
      for (const t of fake.accessTokens.values()) t.revoked = true;
      for (const t of state.refreshTokens.values()) t.revoked = true;
    },
  };

  const issue = (res: ServerResponse, scopes: string[]) => {
    const access = token('act');
    const refresh = token('rft');
    const now = state.now();
    fake.accessTokens.set(access, { openId: user.openId, scopes, expiresAt: now + accessTtl * 1000, revoked: false });
    state.refreshTokens.set(refresh, { openId: user.openId, scopes, expiresAt: now + refreshTtl * 1000, revoked: false });
    state.issued.push(access, refresh);
    json(res, 200, {
      open_id: user.openId,
      scope: scopes.join(','),
      access_token: access,
      expires_in: accessTtl,
      refresh_token: refresh,
      refresh_expires_in: refreshTtl,
      token_type: 'Bearer',
    });
  };

  const form = (req: FakeRequest) => new URLSearchParams(req.body.toString('utf8'));
  const clientOk = (f: URLSearchParams) => f.get('client_key') === state.clientKey && f.get('client_secret') === state.clientSecret;

  fake.route('GET', '/v2/auth/authorize/', (req, res) => {
    const q = req.url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_key') !== state.clientKey) return page(res, 400, 'client_key: unknown app');
    if (!REGISTERED_REDIRECT.test(redirectUri)) return page(res, 400, `redirect_uri ${redirectUri} is not registered for this app`);
    if (q.get('response_type') !== 'code') return page(res, 400, 'response_type must be code');
    const scopes = (q.get('scope') ?? '').split(',').filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !appScopes.includes(s))) return page(res, 400, `scope ${q.get('scope')} not allowed`);
    const challenge = q.get('code_challenge') ?? '';
    if (q.get('code_challenge_method') !== 'S256' || !/^[0-9a-f]{64}$/.test(challenge)) {
      return page(res, 400, 'code_challenge must be the hex SHA-256 of the verifier');
    }
    const back = new URL(redirectUri);
    const stateParam = q.get('state');
    if (stateParam !== null) back.searchParams.set('state', stateParam);
    if (state.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the request');
      return redirect(res, back);
    }
    const code = randomBytes(18).toString('base64url');
    codes.set(code, { clientKey: state.clientKey, redirectUri, challenge, scopes, used: false });
    back.searchParams.set('code', code);
    back.searchParams.set('scopes', scopes.join(','));
    redirect(res, back);
  });

  fake.route('POST', '/v2/oauth/token/', (req, res) => {
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return oauthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const f = form(req);
    state.grants.push(f.get('grant_type') ?? '');
    if (!clientOk(f)) return oauthError(res, 401, 'invalid_client', 'Client key or secret is incorrect.');
    if (f.get('grant_type') === 'authorization_code') {
      const pending = codes.get(f.get('code') ?? '');
      if (!pending || pending.used) return oauthError(res, 400, 'invalid_grant', 'Authorization code is expired.');
      pending.used = true;
      if (f.get('redirect_uri') !== pending.redirectUri) return oauthError(res, 400, 'invalid_request', 'Redirect URI does not match.');
      const verifier = f.get('code_verifier') ?? '';
      const hex = createHash('sha256').update(verifier).digest('hex');
      if (!VERIFIER.test(verifier) || hex !== pending.challenge) {
        return oauthError(res, 400, 'invalid_request', 'Code verifier or code challenge is invalid.');
      }
      return issue(res, pending.scopes);
    }
    if (f.get('grant_type') === 'refresh_token') {
      const grant = state.refreshTokens.get(f.get('refresh_token') ?? '');
      if (!grant || grant.revoked || grant.expiresAt <= state.now()) {
        return oauthError(res, 400, 'invalid_grant', 'Refresh token is invalid or expired.');
      }
      grant.revoked = true;
      return issue(res, grant.scopes);
    }
    return oauthError(res, 400, 'unsupported_grant_type', `grant_type ${f.get('grant_type')}`);
  });

  fake.route('POST', '/v2/oauth/revoke/', (req, res) => {
    const f = form(req);
    if (!clientOk(f)) return oauthError(res, 401, 'invalid_client', 'Client key or secret is incorrect.');
    const access = fake.accessTokens.get(f.get('token') ?? '');
    if (!access) return oauthError(res, 400, 'invalid_request', 'Token is invalid.');
    state.revokeAll();
    json(res, 200, {});
  });

  fake.route('GET', '/v2/user/info/', (req, res) => {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const grant = fake.accessTokens.get(bearer);
    if (!grant || grant.revoked || grant.expiresAt <= state.now()) {
      return dataError(res, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
    }
    if (!grant.scopes.includes('user.info.basic')) return dataError(res, 401, 'scope_not_authorized', 'user.info.basic');
    const fields = (req.url.searchParams.get('fields') ?? '').split(',');
    const all: Record<string, string> = {
      open_id: user.openId,
      union_id: user.unionId,
      display_name: user.displayName,
      avatar_url: user.avatarUrl,
    };
    json(res, 200, {
      data: { user: Object.fromEntries(fields.filter((k) => k in all).map((k) => [k, all[k]])) },
      error: { code: 'ok', message: '', log_id: 'fake' },
    });
  });

  return state;
}
