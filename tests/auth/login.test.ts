import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { credentialsFile } from '../../src/auth/credentials.js';
import { openBackend } from '../../src/db/open.js';
import { runLogin } from '../../src/commands/login.js';
import { runLogout } from '../../src/commands/logout.js';
import { runWhoami } from '../../src/commands/whoami.js';
import { AuthError, EXIT, exitCodeOf } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';
import { startSupabaseStub, type SupabaseStub } from '../supabase/stub.js';

let stub: SupabaseStub;
beforeAll(async () => {
  stub = await startSupabaseStub();
});
afterAll(async () => {
  await stub.close();
});

/** Stands in for the browser: GET the URL and follow redirects (Auth → our callback server). */
async function browse(url: string, tamper: (location: string) => string = (l) => l): Promise<{ status: number; page: string }> {
  let next = url;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(next, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (!location) return { status: res.status, page: await res.text() };
    next = tamper(new URL(location, next).href);
  }
  throw new Error('too many redirects');
}

function context(browser?: (url: string) => Promise<unknown>) {
  const t = testContext({
    env: { SLIDES_KEYCHAIN: 'off', SUPABASE_URL: stub.url, SUPABASE_ANON_KEY: stub.anonKey },
    io: { verbose: true },
  });
  const pages: Array<{ status: number; page: string }> = [];
  t.ctx.browser = {
    open: async (url) => {
      t.opened.push(url);
      // The browser loads the page in the background while the CLI waits on its callback server.
      void browser?.(url).then((p) => pages.push(p as { status: number; page: string }));
    },
  };
  t.ctx.backend = () => openBackend(t.ctx);
  return { ...t, pages };
}

const tokensIn = (text: string) => [stub.providerToken, 'eyJ'].filter((needle) => text.includes(needle));

describe('slides login (PKCE through the browser)', () => {
  test('signs in, stores the session (never the provider token), and the next commands use it', async () => {
    const t = context(async (url) => {
      const callback = new URL(new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '').origin);
      // Browsers ask for a favicon too; it must not end the login.
      expect((await fetch(new URL('/favicon.ico', callback))).status).toBe(404);
      return browse(url);
    });
    const result = await runLogin({ provider: 'github', browser: true, timeoutMs: 20_000 }, t.ctx);
    expect(result).toMatchObject({ userId: stub.signInAs.id, email: 'creator@example.com', project: stub.ref });
    const authorize = new URL(t.opened[0] ?? '');
    expect(authorize.pathname).toBe('/auth/v1/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('s256');
    expect(authorize.searchParams.get('redirect_to')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?state=[\w-]{20,}$/);

    await expect.poll(() => t.pages.length).toBe(1);
    expect(t.pages[0]?.status).toBe(200);
    expect(t.pages[0]?.page).toContain('You can close this tab');

    const file = readFileSync(credentialsFile(t.ctx.paths.config), 'utf8');
    expect(file).not.toContain(stub.providerToken);
    expect(JSON.parse(file)[stub.ref].user.id).toBe(stub.signInAs.id);
    expect(t.output.stderr).toContain('no OS keychain available');

    const who = await runWhoami(t.ctx);
    expect(who).toMatchObject({ email: 'creator@example.com', userId: stub.signInAs.id, project: stub.ref, backend: 'supabase' });
    const mark = stub.requests.length;
    await (await t.ctx.backend()).rows.select('source_files');
    const stored = JSON.parse(file)[stub.ref].access_token as string;
    expect(stub.requests[mark]?.headers.authorization).toBe(`Bearer ${stored}`);

    expect(tokensIn(t.output.stdout + t.output.stderr)).toEqual([]);
    expect(stub.violations).toEqual([]);
  });

  test('a reply with the wrong state is rejected and no code is exchanged', async () => {
    const t = context((url) => browse(url, (location) => location.replace(/state=[^&]+/, 'state=forged')));
    const mark = stub.requests.length;
    const error = await runLogin({ provider: 'github', browser: true, timeoutMs: 20_000 }, t.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('state');
    expect(stub.requests.slice(mark).some((r) => r.path === '/auth/v1/token')).toBe(false);
    await expect.poll(() => t.pages[0]?.status).toBe(400);
  });

  test('no sign-in within the timeout ends the login with a clear message', async () => {
    const t = context();
    const error = await runLogin({ provider: 'github', browser: true, timeoutMs: 300 }, t.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(exitCodeOf(error)).toBe(EXIT.auth);
    expect((error as AuthError).message).toMatch(/no sign-in arrived within/);
  });

  test('--no-browser prints the link instead of opening it', async () => {
    const t = context();
    const login = runLogin({ provider: 'google', browser: false, timeoutMs: 20_000 }, t.ctx);
    await expect.poll(() => /http:\/\/\S+authorize\S+/.exec(t.output.stderr)?.[0]).toBeTruthy();
    expect(t.opened).toEqual([]);
    await browse(/http:\/\/\S+authorize\S+/.exec(t.output.stderr)?.[0] as string);
    await expect(login).resolves.toMatchObject({ userId: stub.signInAs.id });
    expect(tokensIn(t.output.stdout + t.output.stderr)).toEqual([]);
  });

  test('--email sends a magic link whose redirect finishes the same PKCE login', async () => {
    const t = context();
    const login = runLogin({ provider: 'github', email: 'creator@example.com', browser: true, timeoutMs: 20_000 }, t.ctx);
    await expect.poll(() => stub.mailbox.length).toBeGreaterThan(0);
    const page = await browse(stub.mailbox.at(-1)?.link as string);
    expect(page.status).toBe(200);
    await expect(login).resolves.toMatchObject({ email: 'creator@example.com' });
  });

  test('an expiring session is refreshed and stored back; logout revokes it and the next command says to log in', async () => {
    const t = context((url) => browse(url));
    await runLogin({ provider: 'github', browser: true, timeoutMs: 20_000 }, t.ctx);
    const file = credentialsFile(t.ctx.paths.config);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    stored[stub.ref].expires_at = Math.floor(Date.now() / 1000);
    writeFileSync(file, JSON.stringify(stored));
    const mark = stub.requests.length;
    await runWhoami(t.ctx);
    expect(stub.requests.slice(mark).map((r) => `${r.path}?${r.query}`)).toContain('/auth/v1/token?grant_type=refresh_token');
    const refreshed = JSON.parse(readFileSync(file, 'utf8'))[stub.ref];
    expect(refreshed.refresh_token).not.toBe(stored[stub.ref].refresh_token);
    expect(refreshed.expires_at).toBeGreaterThan(stored[stub.ref].expires_at);

    const out = await runLogout(t.ctx);
    expect(out).toEqual({ project: stub.ref, signedOut: true, revoked: true });
    expect(stub.requests.some((r) => r.path === '/auth/v1/logout' && r.query.get('scope') === 'local')).toBe(true);
    const next = context();
    next.ctx.paths = t.ctx.paths;
    const error = await runWhoami(next.ctx).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(EXIT.auth);
    expect((error as AuthError).hint).toBe('run slides login');
    expect(tokensIn(t.output.stdout + t.output.stderr)).toEqual([]);
  });
});
