/**
 * No token or key ever reaches stdout, stderr, the state folder's logs or the scheduler entry:
 * every command's --help, then the real runs that touch credentials, all with --verbose, against
 * the in-process Supabase stub, under a stored session and under SLIDES_ACCESS_TOKEN.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { SCHEDULED_RUN_ARGS } from '../../src/commands/schedule/source.js';
import { resolveConfig } from '../../src/config.js';
import { resolvePaths } from '../../src/paths.js';
import { cronLine } from '../../src/services/schedule/cron.js';
import { scheduledRun } from '../../src/services/schedule/entry.js';
import { launchAgentPlist, launchdLabel } from '../../src/services/schedule/launchd.js';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { writePhoto } from '../render/seed.js';
import { startSupabaseStub, type SupabaseStub } from '../supabase/stub.js';
import { connectWithoutBrowser, fakeTikTokEnv } from '../tiktok/connectCli.js';
import { installOAuth, type FakeOAuth } from '../tiktok/fake/oauth.js';
import { addPostingRoutes, type FakePosting } from '../tiktok/fake/posting.js';
import { startFakeTikTok, type FakeTikTok } from '../tiktok/fake/server.js';

/** Any run of this many characters of a secret counts as a leak (masks show only the length). */
const WINDOW = 10;

let stub: SupabaseStub;
let home: string;
let photos: string;
const secrets: string[] = [];

/** A JWT's first part is the same `{"alg":"HS256","typ":"JWT"}` in every token (signed Storage URLs too). */
const ownPart = (secret: string) => (/^eyJ[\w-]+\./.test(secret) ? secret.slice(secret.indexOf('.') + 1) : secret);

function leaks(text: string): string[] {
  const found = new Set<string>();
  for (const secret of secrets.map(ownPart)) {
    for (let i = 0; i + WINDOW <= secret.length; i++) {
      const piece = secret.slice(i, i + WINDOW);
      if (text.includes(piece)) found.add(piece);
    }
  }
  return [...found];
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { SLIDES_HOME: home, SUPABASE_URL: stub.url, SUPABASE_ANON_KEY: stub.anonKey, SLIDES_KEYCHAIN: 'off', NO_COLOR: '1', ...extra };
}

async function slides(args: string[], extra?: NodeJS.ProcessEnv): Promise<CliResult> {
  const run = await runCli([...args, '--verbose'], { env: env(extra) });
  expect(leaks(run.stdout), `stdout of slides ${args.join(' ')}`).toEqual([]);
  expect(leaks(run.stderr), `stderr of slides ${args.join(' ')}`).toEqual([]);
  return run;
}

function stateFiles(): string[] {
  const state = join(home, 'state');
  if (!existsSync(state)) return [];
  return readdirSync(state, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** `login --no-browser`: reads the printed link, follows it as a browser would, waits for the exit. */
function loginWithoutBrowser(): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'login', '--no-browser', '--verbose'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let browsed = false;
    const browse = async (url: string) => {
      let next = url;
      for (let hop = 0; hop < 5; hop++) {
        const location = (await fetch(next, { redirect: 'manual' })).headers.get('location');
        if (!location) return;
        next = new URL(location, next).href;
      }
    };
    const look = () => {
      const url = /http:\/\/\S+authorize\S+/.exec(stdout + stderr)?.[0];
      if (url && !browsed) {
        browsed = true;
        browse(url).catch(reject);
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), look()));
    child.stderr.on('data', (d) => ((stderr += d), look()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return c.commands.length > 0 ? commandPaths(c, path) : [path];
  });
}

beforeAll(async () => {
  stub = await startSupabaseStub();
  home = mkdtempSync(join(tmpdir(), 'slides-secrets-'));
  photos = join(home, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < 2; i++) await writePhoto(photos, i);
  secrets.push(stub.anonKey, stub.providerToken);
});

afterAll(async () => {
  await stub.close();
  rmSync(home, { recursive: true, force: true });
});

describe('no secret in output, logs or the scheduler entry', () => {
  it('every command --help, under a session from the environment', async () => {
    const session = stub.session(stub.signInAs);
    secrets.push(session.access_token, session.refresh_token);
    const program = buildProgram({ argv: [], env: {}, stdout: process.stdout, stderr: process.stderr, stdinIsTTY: false }, () => undefined);
    const paths = commandPaths(program);
    expect(paths.length).toBeGreaterThan(20);
    for (const path of [[], ...paths]) {
      const run = await slides([...path, '--help'], { SLIDES_ACCESS_TOKEN: session.access_token, SLIDES_REFRESH_TOKEN: session.refresh_token });
      expect(run.code, `slides ${path.join(' ')} --help`).toBe(0);
    }
  });

  it('login --no-browser, then every command that uses the stored session, then logout', async () => {
    const login = await loginWithoutBrowser();
    expect(login.code, login.stderr).toBe(0);
    expect(leaks(login.stdout + login.stderr)).toEqual([]);
    const stored = JSON.parse(readFileSync(join(home, 'config', 'credentials.json'), 'utf8'))[stub.ref];
    secrets.push(stored.access_token, stored.refresh_token);

    for (const args of [['whoami'], ['config', 'list'], ['config', 'get', 'supabase.anonKey'], ['doctor'], ['db', 'check'], ['files', 'list']]) {
      const run = await slides(args);
      expect(run.code, `slides ${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    expect((await slides(['upload', photos])).code).toBe(0);
    expect((await slides(['session', 'new', '--all', '--yes', '--frequency', '2'])).code).toBe(0);
    const render = await slides(['render', '--no-video']);
    expect(render.code, render.stderr).toBe(0);
    expect(render.stdout).toContain('Links valid for 24 hours');
    expect((await slides(['run', '--due'])).code).toBe(0);
    const cron = await slides(['schedule', 'install', '--dry-run']);
    expect(cron.code, cron.stderr).toBe(0);
    expect(cron.stdout).toContain('run --due');

    const logout = await slides(['logout']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(existsSync(join(home, 'config', 'credentials.json'))).toBe(false);
  });

  it('the same runs under SLIDES_ACCESS_TOKEN and SLIDES_REFRESH_TOKEN', async () => {
    const session = stub.session(stub.signInAs);
    secrets.push(session.access_token, session.refresh_token);
    const tokens = { SLIDES_ACCESS_TOKEN: session.access_token, SLIDES_REFRESH_TOKEN: session.refresh_token };
    for (const args of [['whoami'], ['config', 'list'], ['doctor'], ['db', 'check']]) {
      const run = await slides(args, tokens);
      expect(run.code, `slides ${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    expect((await slides(['upload', photos], tokens)).code).toBe(0);
    const render = await slides(['render', '--no-video'], tokens);
    expect(render.code, render.stderr).toBe(0);
    expect((await slides(['run', '--due'], tokens)).code).toBe(0);
    const cron = await slides(['schedule', 'install', '--dry-run'], tokens);
    expect(cron.code, cron.stderr).toBe(0);
    expect((await slides(['logout'], tokens)).code).toBe(0);
  });

  it('the error paths: a token the project refuses, a project that does not answer', async () => {
    const session = stub.session(stub.signInAs);
    const forged = `${session.access_token.slice(0, session.access_token.lastIndexOf('.'))}.forged-signature-of-forty-characters-xx`;
    secrets.push(forged, session.refresh_token);
    const refused = { SLIDES_ACCESS_TOKEN: forged };
    const closed = { SUPABASE_URL: 'http://127.0.0.1:9', SLIDES_ACCESS_TOKEN: session.access_token, SLIDES_REFRESH_TOKEN: session.refresh_token };
    for (const [args, extra, code] of [
      [['files', 'list'], refused, 3],
      [['db', 'check'], refused, 3],
      [['doctor'], refused, 4],
      [['files', 'list'], closed, 5],
      [['db', 'check'], closed, 5],
      [['doctor'], closed, 4],
    ] as const) {
      const run = await slides([...args], extra);
      expect(run.code, `slides ${args.join(' ')} with ${Object.keys(extra).join(', ')}: ${run.stderr}`).toBe(code);
    }
  });

  it('db push never echoes the database password, from --db-url, SUPABASE_DB_URL or a bad URL', async () => {
    const password = 'pg-Pa55word-0f-the-project';
    secrets.push(password);
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const url = `postgresql://postgres:${password}@127.0.0.1:${closed}/postgres`;
    for (const [args, extra] of [
      [['db', 'push', '--db-url', url], {}],
      [['db', 'push', '--dry-run', '--json'], { SUPABASE_DB_URL: url }],
    ] as const) {
      const run = await slides([...args], extra);
      expect(run.code, `slides ${args.join(' ')}`).toBe(5);
    }
    const bad = await slides(['db', 'push', '--db-url', `http://postgres:${password}@db.example.invalid/postgres`]);
    expect(bad.code).toBe(2);
  });

  it('the log files in the state folder hold none of them', () => {
    const files = stateFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(leaks(readFileSync(file, 'utf8')), file).toEqual([]);
  });

  it('the crontab line and the LaunchAgent plist, built from a shell holding every secret', () => {
    const session = stub.session(stub.signInAs);
    secrets.push(session.access_token, session.refresh_token);
    const shell = { ...env(), PATH: '/usr/bin:/bin', SLIDES_ACCESS_TOKEN: session.access_token, SLIDES_REFRESH_TOKEN: session.refresh_token };
    const config = resolveConfig({}, shell, { 'supabase.url': stub.url, 'supabase.anonKey': stub.anonKey });
    const { run } = scheduledRun({ env: shell, paths: resolvePaths(shell, 'default'), profile: 'default', config, runArgs: SCHEDULED_RUN_ARGS }, 15);
    expect(run.env.SUPABASE_URL).toBe(stub.url);
    expect(leaks(cronLine(run))).toEqual([]);
    expect(leaks(launchAgentPlist(run, launchdLabel(run.id)))).toEqual([]);
  });
});

describe('no TikTok secret (client secret, tokens, token key) in output, logs or the scheduler entry', () => {
  let fake: FakeTikTok;
  let oauth: FakeOAuth;
  let posting: FakePosting;
  let tkHome: string;
  /** Every output of the TikTok runs, checked again at the end against tokens issued since. */
  const tkOutputs: string[] = [];
  const tkEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => fakeTikTokEnv(tkHome, fake, oauth, extra);
  const tk = async (args: string[], extra?: NodeJS.ProcessEnv) => {
    const run = await runCli([...args, '--verbose'], { env: tkEnv(extra) });
    expect(leaks(run.stdout + run.stderr), `slides ${args.join(' ')}`).toEqual([]);
    tkOutputs.push(run.stdout, run.stderr);
    return run;
  };

  beforeAll(async () => {
    fake = await startFakeTikTok();
    oauth = installOAuth(fake);
    posting = addPostingRoutes(fake);
    posting.pollsUntilDone = 0;
    tkHome = mkdtempSync(join(tmpdir(), 'slides-secrets-tiktok-'));
    secrets.push(oauth.clientSecret);
  });

  afterAll(async () => {
    await fake.close();
    rmSync(tkHome, { recursive: true, force: true });
  });

  // A dozen commands, renders among them: the default minute is tight on a loaded 2-core machine.
  it('config set, connect --no-browser, status (with a refresh), doctor, config list/get, publish and run --due --publish (a refresh mid-upload), session show, key export --out, disconnect', async () => {
    expect((await tk(['config', 'set', 'tiktok.clientKey', oauth.clientKey, 'tiktok.clientSecret', oauth.clientSecret])).code).toBe(0);
    const connect = await connectWithoutBrowser(tkEnv(), ['--verbose']);
    expect(connect.code, connect.stderr).toBe(0);
    secrets.push(...oauth.issued);
    const credentials = JSON.parse(readFileSync(join(tkHome, 'config', 'credentials.json'), 'utf8')) as Record<string, string>;
    secrets.push(credentials['tiktok-token-key'] as string);
    expect(leaks(connect.stdout + connect.stderr + connect.page)).toEqual([]);
    const tomorrow = new Date(Date.now() + 25 * 3600_000).toISOString();
    for (const args of [['tiktok', 'status'], ['tiktok', 'status', '--json'], ['config', 'list'], ['config', 'get', 'tiktok.clientSecret'], ['doctor']]) {
      const run = await tk(args, { SLIDES_NOW: tomorrow });
      expect(run.code, `slides ${args.join(' ')}: ${run.stderr}`).not.toBe(1);
    }
    secrets.push(...oauth.issued);

    // Publishing: the error paths, a draft, a scheduled run that publishes, a token expiring mid-upload.
    expect((await tk(['upload', photos])).code).toBe(0);
    expect((await tk(['session', 'new', '--all', '--yes', '--frequency', '1'])).code).toBe(0);
    expect((await tk(['publish'])).code).toBe(2);
    const scheduled = await tk(['run', '--due', '--publish'], { SLIDES_NOW: tomorrow });
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toContain('sent to the TikTok inbox as a draft');
    expect((await tk(['publish'], { SLIDES_NOW: tomorrow })).code).toBe(2);
    expect((await tk(['publish', '1', '--direct'], { SLIDES_NOW: tomorrow })).code).toBe(2);
    posting.beforeChunk = () => {
      for (const issued of fake.accessTokens.values()) issued.expiresAt = 0;
    };
    const again = await tk(['publish', '1', '--again', '--json'], { SLIDES_NOW: tomorrow });
    posting.beforeChunk = undefined;
    expect(again.code, again.stderr).toBe(0);
    expect(posting.finished()).toHaveLength(2);
    expect((await tk(['session', 'show'], { SLIDES_NOW: tomorrow })).code).toBe(0);
    secrets.push(...oauth.issued);
    expect(leaks(tkOutputs.join('\n'))).toEqual([]);
    const state = join(tkHome, 'state');
    for (const entry of readdirSync(state, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(leaks(readFileSync(join(entry.parentPath, entry.name), 'utf8')), entry.name).toEqual([]);
    }

    expect((await tk(['tiktok', 'key', 'export'])).code).toBe(2);
    expect((await tk(['tiktok', 'key', 'export', '--out', join(tkHome, 'moved.key')])).code).toBe(0);
    expect((await tk(['tiktok', 'disconnect'])).code).toBe(0);
  }, 120_000);

  it('the crontab line and the LaunchAgent plist, built from a shell holding the client secret and the token key', () => {
    const shell = { ...tkEnv(), PATH: '/usr/bin:/bin', SLIDES_TIKTOK_CLIENT_SECRET: oauth.clientSecret, SLIDES_TIKTOK_TOKEN_KEY: secrets.at(-1) as string };
    const config = resolveConfig({}, shell, { 'tiktok.clientKey': oauth.clientKey });
    const { run, warnings } = scheduledRun({ env: shell, paths: resolvePaths(shell, 'default'), profile: 'default', config, runArgs: SCHEDULED_RUN_ARGS }, 15);
    expect(run.env.SLIDES_TIKTOK_API_URL).toBe(fake.url);
    expect(warnings.join('\n')).toContain('tiktok.clientSecret comes from SLIDES_TIKTOK_CLIENT_SECRET');
    expect(leaks(cronLine(run))).toEqual([]);
    expect(leaks(launchAgentPlist(run, launchdLabel(run.id)))).toEqual([]);
    expect(leaks(warnings.join('\n'))).toEqual([]);
  });
});
