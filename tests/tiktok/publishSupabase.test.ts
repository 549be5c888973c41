/**
 * `slides publish` on the built binary through the Supabase stub (PostgREST, Auth, Storage) and the
 * fake TikTok: a draft from the machine that rendered the group, the same group from a second
 * machine that downloads the video from Exports, and a SIGKILL mid-upload whose claim another run
 * leaves alone until its 2-minute lease lapses, then takes over: one post completes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { writePhoto } from '../render/seed.js';
import { startSupabaseStub, type SupabaseStub } from '../supabase/stub.js';
import { connectWithoutBrowser, fakeTikTokEnv } from './connectCli.js';
import { installOAuth, type FakeOAuth } from './fake/oauth.js';
import { addPostingRoutes, type FakePosting } from './fake/posting.js';
import { startFakeTikTok, type FakeTikTok } from './fake/server.js';

let stub: SupabaseStub;
let fake: FakeTikTok;
let oauth: FakeOAuth;
let posting: FakePosting;
let root: string;
let tokens: NodeJS.ProcessEnv;

function env(machine: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return fakeTikTokEnv(join(root, machine), fake, oauth, { SUPABASE_URL: stub.url, SUPABASE_ANON_KEY: stub.anonKey, ...tokens, ...extra });
}

const slides = (machine: string, args: string[], extra?: NodeJS.ProcessEnv): Promise<CliResult> => runCli(args, { env: env(machine, extra) });

type Row = { group_id: string; status: string; round: number };
const posts = async (): Promise<Row[]> => {
  const shown = JSON.parse((await slides('a', ['session', 'show', '--json'])).stdout) as { groups: { id: string; posts: Row[] }[] };
  return shown.groups.flatMap((g) => g.posts.map((p) => ({ ...p, group_id: g.id })));
};

beforeAll(async () => {
  stub = await startSupabaseStub();
  fake = await startFakeTikTok();
  oauth = installOAuth(fake);
  posting = addPostingRoutes(fake);
  posting.pollsUntilDone = 0;
  root = mkdtempSync(join(tmpdir(), 'slides-publish-supabase-'));
  const session = stub.session(stub.signInAs);
  tokens = { SLIDES_ACCESS_TOKEN: session.access_token, SLIDES_REFRESH_TOKEN: session.refresh_token };
  const photos = join(root, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < 2; i++) await writePhoto(photos, i);
  expect((await slides('a', ['config', 'set', 'tiktok.clientKey', oauth.clientKey, 'tiktok.clientSecret', oauth.clientSecret])).code).toBe(0);
  const connect = await connectWithoutBrowser(env('a'), []);
  expect(connect.code, connect.stderr).toBe(0);
  expect((await slides('a', ['upload', photos])).code).toBe(0);
  expect((await slides('a', ['session', 'new', '--all', '--yes', '--frequency', '4'])).code).toBe(0);
  const render = await slides('a', ['render']);
  expect(render.code, render.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await fake.close();
  await stub.close();
  rmSync(root, { recursive: true, force: true });
});

describe('slides publish on the supabase backend (stub)', () => {
  test('a draft from the machine that rendered it; the rerun is exit 2', async () => {
    const run = await slides('a', ['publish', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ groupNumber: 1, status: 'sent_to_inbox', video: { downloaded: false } });
    expect((await slides('a', ['publish'])).code).toBe(2);
    expect(await posts()).toMatchObject([{ status: 'sent_to_inbox', round: 1 }]);
  }, 60_000);

  test('a second machine with the token key and the app settings publishes the group, its video downloaded from Exports', async () => {
    const credentials = JSON.parse(readFileSync(join(root, 'a', 'config', 'credentials.json'), 'utf8')) as Record<string, string>;
    const machineB = {
      SLIDES_TIKTOK_TOKEN_KEY: credentials['tiktok-token-key'],
      SLIDES_TIKTOK_CLIENT_KEY: oauth.clientKey,
      SLIDES_TIKTOK_CLIENT_SECRET: oauth.clientSecret,
    };
    const run = await slides('b', ['publish', '1', '--again', '--json'], machineB);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ groupNumber: 1, status: 'sent_to_inbox', video: { downloaded: true } });
    expect(posting.finished().at(-1)?.received).toBe(posting.finished()[0]?.received);
  }, 60_000);

  test('killed mid-upload: another run is turned away while the claim’s lease holds (exit 4), then takes it over; one post completes', async () => {
    const finished = posting.finished().length;
    const killed = await new Promise<string | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'publish', '1', '--again'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env('a') }, stdio: 'ignore' });
      posting.beforeChunk = () => {
        posting.beforeChunk = undefined;
        child.kill('SIGKILL');
        return new Promise((r) => setTimeout(r, 200));
      };
      child.on('error', reject);
      child.on('exit', (_code, signal) => resolve(signal));
    });
    expect(killed).toBe('SIGKILL');
    const busy = await slides('a', ['publish', '1', '--again']);
    expect(busy.code).toBe(4);
    expect(busy.stderr).toMatch(/error: another slides run is publishing this group \(video, since .*\(let it finish; a crashed run is taken over once its lease lapses \(2 minutes\)\)/);
    const later = new Date(Date.now() + 3 * 60_000).toISOString();
    const taken = await slides('a', ['publish', '1', '--again', '--json'], { SLIDES_NOW: later });
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout)).toMatchObject({ resumed: true, status: 'sent_to_inbox' });
    expect(posting.finished().length).toBe(finished + 1);
    expect((await posts()).map((p) => [p.round, p.status])).toEqual([
      [1, 'sent_to_inbox'],
      [2, 'sent_to_inbox'],
      [3, 'sent_to_inbox'],
    ]);
  }, 90_000);
});
