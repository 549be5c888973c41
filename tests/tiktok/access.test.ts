import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { AuthError, exitCodeOf } from '../../src/errors.js';
import type { TikTokEndpoints } from '../../src/tiktok/access.js';
import { readConnection, saveConnection } from '../../src/tiktok/auth/account.js';
import { authorizeUrl, exchangeCode } from '../../src/tiktok/auth/oauth.js';
import { codeVerifier, hexCodeChallenge } from '../../src/tiktok/auth/pkce.js';
import { tiktokAccess } from '../../src/tiktok/auth/tiktokAccess.js';
import { fetchUserInfo } from '../../src/tiktok/auth/userInfo.js';
import { openKeyRing, type KeyRing } from '../../src/tiktok/crypto/keyRing.js';
import { createHash } from 'node:crypto';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { installOAuth, type FakeOAuth } from './fake/oauth.js';
import { startFakeTikTok, type FakeTikTok } from './fake/server.js';

let fake: FakeTikTok;
let oauth: FakeOAuth;
let endpoints: TikTokEndpoints;
let tdb: TestDatabase;

beforeAll(async () => {
  fake = await startFakeTikTok();
  oauth = installOAuth(fake, { accessTtlSeconds: 7200 });
  endpoints = { authUrl: oauth.authUrl, apiUrl: fake.url };
  tdb = await testDatabase();
});

afterAll(async () => {
  await fake.close();
  await tdb.close();
});

const app = () => ({ clientKey: oauth.clientKey, clientSecret: oauth.clientSecret });
const REDIRECT = 'http://127.0.0.1:43210/callback/';

/** The authorize page as a browser meets it: its redirect (or its error page). */
async function authorize(o: { challenge: string; redirectUri?: string; method?: string }) {
  const url = new URL(authorizeUrl({ endpoints, clientKey: oauth.clientKey, scopes: ['user.info.basic', 'video.upload'], redirectUri: o.redirectUri ?? REDIRECT, state: 'st4te', codeChallenge: o.challenge }));
  if (o.method) url.searchParams.set('code_challenge_method', o.method);
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location') ? new URL(res.headers.get('location') as string) : null };
}

async function codeFor(verifier: string): Promise<string> {
  const { location } = await authorize({ challenge: hexCodeChallenge(verifier) });
  expect(location?.searchParams.get('state')).toBe('st4te');
  return location?.searchParams.get('code') as string;
}

function keysIn(home = mkdtempSync(join(tmpdir(), 'slides-tk-'))): Promise<KeyRing> {
  return openKeyRing({ env: { SLIDES_KEYCHAIN: 'off' }, configDir: join(home, 'config'), profile: 'default', warn: () => undefined });
}

async function connected(backend: Backend, keys: KeyRing) {
  const verifier = codeVerifier();
  const tokens = await exchangeCode({ endpoints, app: app(), code: await codeFor(verifier), codeVerifier: verifier, redirectUri: REDIRECT }, new Date());
  const user = await fetchUserInfo(endpoints, tokens.accessToken);
  await saveConnection(backend.rows, keys, { userId: backend.identity.userId, tokens, user, now: new Date() });
  return tokens;
}

describe('the fake TikTok Login Kit', () => {
  test('the verifier is 64 unreserved characters and the challenge its hex SHA-256', () => {
    const v = codeVerifier();
    expect(v).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
    expect(codeVerifier()).not.toBe(v);
    expect(hexCodeChallenge(v)).toBe(createHash('sha256').update(v).digest('hex'));
  });

  test('the authorize page refuses a base64url challenge and an unregistered redirect_uri', async () => {
    const v = codeVerifier();
    const b64 = createHash('sha256').update(v).digest('base64url');
    expect((await authorize({ challenge: b64 })).status).toBe(400);
    expect((await authorize({ challenge: hexCodeChallenge(v), redirectUri: 'http://127.0.0.1:43210/callback' })).status).toBe(400);
    expect((await authorize({ challenge: hexCodeChallenge(v), method: 'plain' })).status).toBe(400);
  });

  test('the token endpoint refuses a wrong verifier and a redirect_uri that differs from the authorize one', async () => {
    const v = codeVerifier();
    await expect(
      exchangeCode({ endpoints, app: app(), code: await codeFor(v), codeVerifier: codeVerifier(), redirectUri: REDIRECT }, new Date()),
    ).rejects.toThrow(/Code verifier or code challenge is invalid/);
    await expect(
      exchangeCode({ endpoints, app: app(), code: await codeFor(v), codeVerifier: v, redirectUri: 'http://127.0.0.1:43210/callback' }, new Date()),
    ).rejects.toThrow(/Redirect URI does not match/);
    await expect(
      exchangeCode({ endpoints, app: { ...app(), clientSecret: 'wrong-secret' }, code: await codeFor(v), codeVerifier: v, redirectUri: REDIRECT }, new Date()),
    ).rejects.toThrow(/invalid_client/);
    const tokens = await exchangeCode({ endpoints, app: app(), code: await codeFor(v), codeVerifier: v, redirectUri: REDIRECT }, new Date());
    expect(tokens.openId).toBe(oauth.user.openId);
    expect(tokens.scopes).toEqual(['user.info.basic', 'video.upload']);
    expect((await fetchUserInfo(endpoints, tokens.accessToken)).displayName).toBe('Creator Fake');
  });
});

describe('TikTokAccess over tiktok_auth', () => {
  test('tokens are stored sealed (tk1, a key id, AES-GCM) and open to the values TikTok issued', async () => {
    const backend = await tdb.user();
    const keys = await keysIn();
    const tokens = await connected(backend, keys);
    const { rows } = await tdb.db.query<{ access_token: string; refresh_token: string }>(
      'SELECT access_token, refresh_token FROM tiktok_auth WHERE user_id = $1',
      [backend.identity.userId],
    );
    const row = rows[0] as { access_token: string; refresh_token: string };
    const keyId = keys.current()?.id as string;
    expect(row.access_token.startsWith(`tk1.${keyId}.`)).toBe(true);
    expect(row.access_token).not.toContain(tokens.accessToken.slice(4, 20));
    expect(row.refresh_token).not.toContain(tokens.refreshToken.slice(4, 20));
    const access = await tiktokAccess({ rows: backend.rows, userId: backend.identity.userId, keys, app: app(), endpoints, clock: { now: () => new Date() } });
    expect(access.openId).toBe(oauth.user.openId);
    expect(await access.accessToken()).toBe(tokens.accessToken);
    const profile = (await backend.rows.select('profiles'))[0];
    expect(profile?.tiktok_account_id).toBe(oauth.user.openId);
    expect(profile?.tiktok_auth_data).toMatchObject({ display_name: 'Creator Fake' });
  });

  test('plaintext in a token column is refused by the database', async () => {
    const backend = await tdb.user();
    await expect(backend.rows.insert('tiktok_auth', [{ tiktok_account_id: 'x', access_token: 'act.plain', refresh_token: 'rft.plain' }])).rejects.toThrow(/sealed/);
  });

  test('an access token about to expire is refreshed once, concurrently, and the rotated refresh token is stored', async () => {
    const backend = await tdb.user();
    const keys = await keysIn();
    const first = await connected(backend, keys);
    const later = { now: () => new Date(Date.now() + 7200_000 - 30_000) };
    const deps = { rows: backend.rows, userId: backend.identity.userId, keys, app: app(), endpoints, clock: later };
    const refreshes: boolean[] = [];
    const access = await tiktokAccess({ ...deps, onRefresh: (e) => refreshes.push(e.refreshRotated) });
    const grantsBefore = oauth.grants.length;
    const [a, b] = await Promise.all([access.accessToken(), access.accessToken()]);
    expect(a).toBe(b);
    expect(a).not.toBe(first.accessToken);
    expect(oauth.grants.slice(grantsBefore)).toEqual(['refresh_token']);
    expect(refreshes).toEqual([true]);
    expect(oauth.refreshTokens.get(first.refreshToken)?.revoked).toBe(true);
    // A fresh reader (another process) finds the rotated refresh token and can refresh with it.
    const again = await tiktokAccess(deps);
    expect(await again.accessToken()).toBe(a);
    const third = await again.refresh();
    expect(third).not.toBe(a);
    expect(oauth.grants.slice(grantsBefore)).toEqual(['refresh_token', 'refresh_token']);
  });

  test('a revoked refresh token is an AuthError (exit 3) telling to run slides tiktok connect', async () => {
    const backend = await tdb.user();
    const keys = await keysIn();
    await connected(backend, keys);
    oauth.revokeAll();
    const access = await tiktokAccess({ rows: backend.rows, userId: backend.identity.userId, keys, app: app(), endpoints, clock: { now: () => new Date() } });
    const error = await access.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(exitCodeOf(error)).toBe(3);
    expect((error as AuthError).hint).toContain('slides tiktok connect');
  });

  test('a machine without the key is told how to bring it; a profile with nothing connected is told to connect', async () => {
    const backend = await tdb.user();
    await connected(backend, await keysIn());
    const elsewhere = await keysIn();
    const error = await tiktokAccess({ rows: backend.rows, userId: backend.identity.userId, keys: elsewhere, app: app(), endpoints, clock: { now: () => new Date() } }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(3);
    expect((error as AuthError).hint).toMatch(/slides tiktok key export --out FILE.*slides tiktok key import FILE/);
    const nobody = await tdb.user();
    await expect(tiktokAccess({ rows: nobody.rows, userId: nobody.identity.userId, keys: elsewhere, app: app(), endpoints, clock: { now: () => new Date() } })).rejects.toThrow(/no TikTok account is connected/);
    expect(await readConnection(nobody.rows, nobody.identity.userId)).toBeNull();
  });
});
