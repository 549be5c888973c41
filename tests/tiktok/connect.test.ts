/**
 * The real binary against the fake TikTok on loopback: config set of the app, `tiktok connect
 * --no-browser` followed as a browser would (authorize page → the CLI's callback server), then
 * status refreshing an expired token, a revoked token, key export/import, disconnect.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import { decryptToken, parseSealed, tokenKeyFromBase64 } from '../../src/tiktok/crypto/tokenCipher.js';
import { runCli } from '../helpers/cli.js';
import { AUTHORIZE_LINK, connectWithoutBrowser, fakeTikTokEnv } from './connectCli.js';
import { installOAuth, type FakeOAuth } from './fake/oauth.js';
import { startFakeTikTok, type FakeTikTok } from './fake/server.js';

let fake: FakeTikTok;
let oauth: FakeOAuth;
let home: string;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return fakeTikTokEnv(home, fake, oauth, extra);
}

const slides = (args: string[], extra?: NodeJS.ProcessEnv) => runCli(args, { env: env(extra) });

/** The random part of every token the fake issued, and the client secret (unless told): none may leak. */
function leaks(text: string, o: { secret?: boolean } = {}): string[] {
  const secrets = [...oauth.issued.map((t) => t.slice(4)), ...(o.secret === false ? [] : [oauth.clientSecret])];
  return secrets.filter((s) => text.includes(s.slice(0, 12)) || text.includes(s.slice(-12)));
}

const connect = (args: string[] = [], o: { follow?: boolean } = {}) => connectWithoutBrowser(env(), args, o);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function tokenRow(): Promise<{ access_token: string; refresh_token: string; user_id: string }> {
  const db = await openPglite({ dataDir: join(home, 'data', 'db') });
  try {
    const { rows } = await db.query<{ access_token: string; refresh_token: string; user_id: string }>('SELECT user_id, access_token, refresh_token FROM tiktok_auth');
    expect(rows).toHaveLength(1);
    return rows[0] as { access_token: string; refresh_token: string; user_id: string };
  } finally {
    await db.close();
  }
}

function storedKey() {
  const credentials = JSON.parse(readFileSync(join(home, 'config', 'credentials.json'), 'utf8')) as Record<string, unknown>;
  return tokenKeyFromBase64(String(credentials['tiktok-token-key']));
}

function openRefreshToken(row: { refresh_token: string; user_id: string }): string {
  const sealed = parseSealed(row.refresh_token);
  return decryptToken(storedKey()!, sealed!, `tiktok_auth.refresh_token:${row.user_id}`);
}

beforeAll(async () => {
  fake = await startFakeTikTok();
  oauth = installOAuth(fake);
  home = mkdtempSync(join(tmpdir(), 'slides-tiktok-'));
});

afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

describe('slides tiktok, end to end on the built binary', () => {
  test('without an app, connect says how to configure one (exit 2); config set keeps the secret out of config.json', async () => {
    const bare = await slides(['tiktok', 'connect', '--no-browser']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('slides config set tiktok.clientKey KEY tiktok.clientSecret SECRET');
    const set = await slides(['config', 'set', 'tiktok.clientKey', oauth.clientKey, 'tiktok.clientSecret', oauth.clientSecret]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`tiktok.clientSecret = ********(${oauth.clientSecret.length} chars)`);
    expect(readFileSync(join(home, 'config', 'config.json'), 'utf8')).not.toContain(oauth.clientSecret);
    expect(statSync(join(home, 'config', 'credentials.json')).mode & 0o777).toBe(0o600);
    const got = await slides(['config', 'get', 'tiktok.clientSecret', '--json']);
    expect(JSON.parse(got.stdout)).toEqual({ key: 'tiktok.clientSecret', value: `********(${oauth.clientSecret.length} chars)`, source: 'keychain' });
    expect(leaks(set.stdout + set.stderr + got.stdout + got.stderr)).toEqual([]);
  });

  test('cancel on TikTok’s page and no answer at all are one-line errors, exit 3', async () => {
    oauth.deny = true;
    const cancelled = await connect();
    oauth.deny = false;
    expect(cancelled.code).toBe(3);
    expect(cancelled.stderr.trim().split('\n').at(-1)).toMatch(/^error: the sign-in was cancelled in the browser \(TikTok: access_denied\) \(run slides tiktok connect again\)$/);
    expect(cancelled.page).toContain('Nothing was connected');
    const timedOut = await connect(['--timeout', '1'], { follow: false });
    expect(timedOut.code).toBe(3);
    expect(timedOut.stderr.trim().split('\n').at(-1)).toMatch(/^error: no sign-in arrived within 1 s \(run slides tiktok connect again/);
  });

  test('connect --no-browser: the link, TikTok’s redirect to the callback server, the account stored, tokens sealed and nowhere in plain', async () => {
    const run = await connect(['--scopes', 'video.publish']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.page).toContain('TikTok connected');
    expect(run.stdout).toContain('Connected TikTok account Creator Fake (scopes user.info.basic, video.upload, video.publish)');
    const link = new URL(AUTHORIZE_LINK.exec(run.stderr)?.[0] as string);
    expect(link.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\/$/);
    expect(link.searchParams.get('code_challenge')).toMatch(/^[0-9a-f]{64}$/);
    expect(link.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(oauth.issued).toHaveLength(2);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    // The client secret lives in the 0600 credentials file (no keychain here); tokens in no file at all.
    const credentials = join(home, 'config', 'credentials.json');
    for (const file of filesUnder(home)) expect(leaks(readFileSync(file).toString('latin1'), { secret: file !== credentials }), file).toEqual([]);
    const row = await tokenRow();
    expect(row.access_token).toMatch(/^tk1\.[0-9a-f]{16}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(openRefreshToken(row)).toBe(oauth.issued[1]);
  });

  test('status: the account, scopes and expiry; an expired access token is refreshed once and the rotated refresh token stored', async () => {
    const fresh = await slides(['tiktok', 'status', '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const status = JSON.parse(fresh.stdout);
    expect(status).toMatchObject({ connected: true, account: { displayName: 'Creator Fake', openId: oauth.user.openId, key: 'profile' }, token: { ok: true, refreshed: false } });
    expect(status.posts).toEqual({ draftsLast24h: 0, publishedToday: 0 });
    const firstRefresh = oauth.issued[1] as string;
    const grants = oauth.grants.length;
    const tomorrow = new Date(Date.now() + 25 * 3600_000).toISOString();
    const later = await slides(['tiktok', 'status'], { SLIDES_NOW: tomorrow });
    expect(later.code, later.stderr).toBe(0);
    expect(later.stdout).toMatch(/TikTok says\s+ok \(access token renewed\)/);
    expect(oauth.grants.slice(grants)).toEqual(['refresh_token']);
    expect(oauth.refreshTokens.get(firstRefresh)?.revoked).toBe(true);
    expect(openRefreshToken(await tokenRow())).toBe(oauth.issued.at(-1));
    const again = await slides(['tiktok', 'status'], { SLIDES_NOW: tomorrow });
    expect(again.stdout).toMatch(/TikTok says\s+ok$/m);
    expect(oauth.grants.slice(grants)).toEqual(['refresh_token']);
    expect(leaks(fresh.stdout + later.stdout + later.stderr + again.stdout)).toEqual([]);
  });

  test('key export only to a terminal or a new 0600 file; a machine without the key is told how to bring it', async () => {
    const piped = await slides(['tiktok', 'key', 'export']);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('printed only to a terminal');
    const file = join(home, 'moved.key');
    expect((await slides(['tiktok', 'key', 'export', '--out', file])).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(tokenKeyFromBase64(readFileSync(file, 'utf8'))?.id).toBe(storedKey()?.id);
    const credentials = join(home, 'config', 'credentials.json');
    const saved = readFileSync(credentials, 'utf8');
    const withoutKey = JSON.parse(saved);
    delete withoutKey['tiktok-token-key'];
    const { writeFileSync } = await import('node:fs');
    writeFileSync(credentials, JSON.stringify(withoutKey), { mode: 0o600 });
    const lost = await slides(['tiktok', 'status']);
    expect(lost.code).toBe(3);
    expect(lost.stdout).toMatch(/token key\s+id [0-9a-f]{16}, MISSING on this machine/);
    expect(lost.stderr).toContain('slides tiktok key import FILE');
    const imported = await slides(['tiktok', 'key', 'import', file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Imported the TikTok token key (id ${storedKey()?.id})`);
    expect((await slides(['tiktok', 'status'])).code).toBe(0);
    // doctor checks the settings and the token, and posts nothing.
    const logged = fake.log.length;
    const doctor = await slides(['doctor', '--json']);
    const check = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string }[] }).checks.find((c) => c.name === 'tiktok');
    expect(check?.status, doctor.stdout).toBe('ok');
    expect(fake.log.slice(logged).filter((r) => r.path.startsWith('/v2/post/'))).toEqual([]);
  });

  test('a token revoked at TikTok is exit 3 telling to run slides tiktok connect', async () => {
    oauth.revokeAll();
    const run = await slides(['tiktok', 'status']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error: TikTok refused the refresh token \(expired or revoked\): invalid_grant.*\(run slides tiktok connect\)/);
    const doctor = await slides(['doctor', '--json']);
    expect(doctor.code).toBe(4);
    const check = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string; fix?: string }[] }).checks.find((c) => c.name === 'tiktok');
    expect(check).toMatchObject({ status: 'fail', fix: 'run slides tiktok connect' });
  });

  test('disconnect revokes, deletes the rows and the key; status then shows nothing connected', async () => {
    const again = await connect();
    expect(again.code, again.stderr).toBe(0);
    const run = await slides(['tiktok', 'disconnect']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('(TikTok revoked its token)');
    expect(fake.log.some((r) => r.path === '/v2/oauth/revoke/' && r.status === 200)).toBe(true);
    const db = await openPglite({ dataDir: join(home, 'data', 'db') });
    try {
      expect((await db.query('SELECT * FROM tiktok_auth')).rows).toEqual([]);
      expect((await db.query<{ tiktok_account_id: string | null }>('SELECT tiktok_account_id FROM profiles')).rows.map((r) => r.tiktok_account_id)).toEqual([null]);
    } finally {
      await db.close();
    }
    expect(storedKey()).toBeNull();
    const status = await slides(['tiktok', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ connected: false, account: null });
    expect(existsSync(join(home, 'config', 'credentials.json'))).toBe(true);
  });
});
