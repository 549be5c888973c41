/**
 * `slides publish` on the built binary against the fake TikTok on loopback, on the embedded
 * backend: a real group rendered by `slides render`, then drafts, direct posts, photos, a 429, a
 * token expiring mid-run, a SIGKILL mid-upload and its rerun, a revoked account; no token in any
 * output or file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import type { SlideGroupPost } from '../../src/db/types.js';

import { decryptToken, parseSealed, tokenKeyFromBase64 } from '../../src/tiktok/crypto/tokenCipher.js';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { writePhoto } from '../render/seed.js';
import { connectWithoutBrowser, fakeTikTokEnv } from './connectCli.js';
import { installOAuth, type FakeOAuth } from './fake/oauth.js';
import { addPostingRoutes, type FakePosting } from './fake/posting.js';
import { startFakeTikTok, type FakeTikTok } from './fake/server.js';

let fake: FakeTikTok;
let oauth: FakeOAuth;
let posting: FakePosting;
let home: string;
const outputs: string[] = [];

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return fakeTikTokEnv(home, fake, oauth, extra);
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

async function query<R>(sql: string): Promise<R[]> {
  const db = await openPglite({ dataDir: join(home, 'data', 'db') });
  try {
    return (await db.query<R>(sql)).rows;
  } finally {
    await db.close();
  }
}

/** The refresh token stored now, opened with the profile's key. */
async function storedRefreshToken(): Promise<string> {
  const [row] = await query<{ refresh_token: string; user_id: string }>('SELECT user_id, refresh_token FROM tiktok_auth');
  const credentials = JSON.parse(readFileSync(join(home, 'config', 'credentials.json'), 'utf8')) as Record<string, unknown>;
  const key = tokenKeyFromBase64(String(credentials['tiktok-token-key']));
  return decryptToken(key!, parseSealed(row!.refresh_token)!, `tiktok_auth.refresh_token:${row!.user_id}`);
}

let logStart = 0;
/** The posting calls since the last look. */
const newCalls = () => {
  const seen = calls().slice(logStart);
  logStart = calls().length;
  return seen;
};

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

describe('direct posts, photos and what TikTok throws at a run', () => {
  test('direct: no privacy without a terminal is exit 2 listing the levels; no consent is exit 2; creator_info first, then the post', async () => {
    expect((await slides(['render'])).code).toBe(0);
    newCalls();
    const noPrivacy = await slides(['publish', '--direct']);
    expect(noPrivacy.code).toBe(2);
    expect(lastLine(noPrivacy.stderr)).toBe(
      'error: --privacy: a direct post needs a privacy level, and TikTok allows no default (one of PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, SELF_ONLY)',
    );
    expect(noPrivacy.stderr).toContain('Posting to TikTok as Sunny Slides (@sunny.slides)');
    const noConsent = await slides(['publish', '--direct', '--privacy', 'SELF_ONLY']);
    expect(noConsent.code).toBe(2);
    expect(lastLine(noConsent.stderr)).toBe(
      "error: By posting, you agree to TikTok's Music Usage Confirmation. Post now: no terminal to ask on (pass --yes)",
    );
    const stitch = await slides(['publish', '--mode', 'direct', '--privacy', 'SELF_ONLY', '--allow-stitch', '--yes']);
    expect(stitch.code).toBe(2);
    expect(lastLine(stitch.stderr)).toBe('error: --allow-stitch true: Sunny Slides has turned stitches off in TikTok');
    const branded = await slides(['publish', '--direct', '--privacy', 'SELF_ONLY', '--branded-content', '--yes']);
    expect(branded.code).toBe(2);
    expect(lastLine(branded.stderr)).toBe('error: --branded-content true: branded content cannot be private (SELF_ONLY) (one of PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS)');
    expect(new Set(newCalls())).toEqual(new Set(['POST /v2/post/publish/creator_info/query/ 200']));
    expect(await posts()).toHaveLength(1);

    const run = await slides(['publish', '--direct', '--privacy', 'MUTUAL_FOLLOW_FRIENDS', '--allow-comments', '--title', 'Sunday hike', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("By posting, you agree to TikTok's Music Usage Confirmation.");
    expect(run.stderr).toContain('TikTok takes a few minutes to process a post');
    expect(run.stdout).toMatch(/^Slide group 2 \(\w{8}\): video posted to TikTok as Sunny Slides$/m);
    expect(newCalls()).toEqual([
      'POST /v2/post/publish/creator_info/query/ 200',
      'POST /v2/post/publish/video/init/ 200',
      'PUT /upload/… 201',
      'POST /v2/post/publish/status/fetch/ 200',
    ]);
    expect(posting.posts.at(-1)?.postInfo).toEqual({
      title: 'Sunday hike',
      privacy_level: 'MUTUAL_FOLLOW_FRIENDS',
      disable_comment: false,
      disable_duet: true,
      disable_stitch: true,
      brand_content_toggle: false,
      brand_organic_toggle: false,
    });
    expect((await posts()).at(-1)).toMatchObject({ mode: 'direct', status: 'published', tiktok_post_id: posting.posts.at(-1)?.postId });
  }, 120_000);

  test('photos: exit 2 without a verified https prefix (nothing sent); with one, the Exports keys under it', async () => {
    newCalls();
    const none = await slides(['publish', '2', '--as', 'photos']);
    expect(none.code).toBe(2);
    expect(lastLine(none.stderr)).toMatch(/^error: photo posts need tiktok\.photoUrlPrefix: TikTok pulls photos only from an https URL prefix verified for your app .*\(verify a domain/);
    const plain = await slides(['publish', '2', '--as', 'photos'], { SLIDES_TIKTOK_PHOTO_URL_PREFIX: 'http://cdn.example.com/exports' });
    expect(plain.code).toBe(2);
    expect(lastLine(plain.stderr)).toMatch(/^error: tiktok\.photoUrlPrefix http:\/\/cdn\.example\.com\/exports is not https/);
    expect(newCalls()).toEqual([]);
    posting.verifiedPrefixes = ['https://cdn.example.com/exports/'];
    const run = await slides(['publish', '2', '--as', 'photos', '--json'], { SLIDES_TIKTOK_PHOTO_URL_PREFIX: 'https://cdn.example.com/exports' });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ groupNumber: 2, kind: 'photos', mode: 'draft', status: 'sent_to_inbox' });
    const images = (posting.posts.at(-1)?.sourceInfo as { photo_images: string[] }).photo_images;
    expect(images.length).toBeGreaterThan(0);
    for (const url of images) expect(url).toMatch(/^https:\/\/cdn\.example\.com\/exports\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/[^/]+\/slide-\d\d\.jpg$/);
  }, 60_000);

  test('a 429 (Retry-After 1) is waited out and the post still goes out', async () => {
    newCalls();
    posting.throttle('init', 1, 1);
    const run = await slides(['publish', '1', '--again']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('TikTok asked slides to slow down; trying again in 1 s');
    expect(newCalls().slice(0, 2)).toEqual(['POST /v2/post/publish/inbox/video/init/ 429', 'POST /v2/post/publish/inbox/video/init/ 200']);
  }, 60_000);

  test('the access token expiring mid-upload is refreshed once, the rotated refresh token stored, and the post goes out', async () => {
    const grants = oauth.grants.length;
    posting.beforeChunk = () => {
      for (const issued of fake.accessTokens.values()) issued.expiresAt = 0;
    };
    const run = await slides(['publish', '1', '--again']);
    posting.beforeChunk = undefined;
    expect(run.code, run.stderr).toBe(0);
    expect(oauth.grants.slice(grants)).toEqual(['refresh_token']);
    expect(await storedRefreshToken()).toBe(oauth.issued.at(-1));
  }, 60_000);

  test('killed (SIGKILL) mid-upload, then run again: the claim is picked up and exactly one post of that round completes', async () => {
    const finishedBefore = posting.finished().length;
    const postsBefore = posting.posts.length;
    const killed = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'publish', '1', '--again'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env() }, stdio: 'ignore' });
      posting.beforeChunk = () => {
        posting.beforeChunk = undefined;
        child.kill('SIGKILL');
        return new Promise((r) => setTimeout(r, 200));
      };
      child.on('error', reject);
      child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? 9 : null));
    });
    expect(killed).toBe(9);
    const live = (await posts()).at(-1);
    expect(live).toMatchObject({ status: 'uploading', round: 4 });
    expect(posting.posts.length).toBe(postsBefore + 1);

    const rerun = await slides(['publish', '1', '--again', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ resumed: true, status: 'sent_to_inbox', postId: live?.id });
    expect(posting.finished().length).toBe(finishedBefore + 1);
    const rounds = (await posts()).filter((p) => p.group_id === live?.group_id && p.kind === 'video').map((p) => [p.round, p.status]);
    expect(rounds).toEqual([1, 2, 3, 4].map((r) => [r, 'sent_to_inbox']));
  }, 60_000);
});

describe('posts in session show, run --due --publish, a revoked account, no token anywhere', () => {
  test('session show lists each group’s posts: draft in inbox or posted, with publish id and when', async () => {
    const run = await slides(['session', 'show', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const shown = JSON.parse(run.stdout) as { groups: { group_number: number; posts: { kind: string; mode: string; status: string; publish_id: string | null; round: number; at: string }[] }[] };
    const byNumber = new Map(shown.groups.map((g) => [g.group_number, g.posts.map((p) => `${p.kind} ${p.mode} ${p.round} ${p.status}`)]));
    expect(byNumber.get(1)).toEqual([1, 2, 3, 4].map((r) => `video draft ${r} sent_to_inbox`));
    expect(byNumber.get(2)).toEqual(['video direct 1 published', 'photos draft 1 sent_to_inbox']);
    for (const g of shown.groups) for (const p of g.posts) expect(p.publish_id).toMatch(/^v_pub_file~v2-1\.\w+$/);
    const human = await slides(['session', 'show']);
    expect(human.stdout).toMatch(/^GROUP\s+TIKTOK\s+STATUS\s+WHEN\s+PUBLISH ID OR REASON$/m);
    expect(human.stdout).toMatch(/^2\s+video direct\s+posted\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+v_pub_file~v2-1\.\w+, post \d+$/m);
    expect(human.stdout).toMatch(/^1\s+video draft\s+draft in inbox\s+/m);
  }, 30_000);

  test('run --due --publish: a publish TikTok refuses leaves the group rendered and counted (exit 4); the next run sends it without rendering', async () => {
    const utc = { SLIDES_TIMEZONE: 'UTC' };
    expect((await slides(['session', 'new', '--all', '--yes', '--frequency', '1'], utc)).code).toBe(0);
    const direct = await slides(['run', '--due', '--publish', 'direct'], utc);
    expect(direct.code).toBe(2);
    expect(lastLine(direct.stderr)).toMatch(/^error: --publish direct needs a privacy level: TikTok allows no default/);
    expect(await query("SELECT id FROM slide_groups WHERE session_id = (SELECT id FROM media_sessions WHERE is_active)")).toEqual([]);

    posting.failNextInit('spam_risk_too_many_pending_share', 200);
    const first = await slides(['run', '--due', '--publish'], utc);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stdout).toMatch(/^Slide group 1 of session \w{8} done/m);
    expect(lastLine(first.stderr)).toBe(
      'error: publishing slide group 1 failed: TikTok holds at most 5 unfinished drafts a day: finish or delete some in the TikTok app, then run slides publish again (the group is rendered and kept; the next slides run --due --publish sends it, or slides publish 1)',
    );
    const active = "(SELECT id FROM media_sessions WHERE is_active)";
    expect(await query(`SELECT group_number, status, publish_mode FROM slide_groups WHERE session_id = ${active}`)).toEqual([
      { group_number: 1, status: 'done', publish_mode: 'draft' },
    ]);
    expect(await query(`SELECT created_per_day FROM media_sessions WHERE is_active`)).toEqual([{ created_per_day: 1 }]);
    const shown = JSON.parse((await slides(['session', 'show', '--json'], utc)).stdout);
    expect(shown.groups[0].posts).toMatchObject([{ kind: 'video', mode: 'draft', status: 'failed', fail_reason: 'spam_risk_too_many_pending_share', publish_id: null }]);

    const second = await slides(['run', '--due', '--publish', '--json'], utc);
    expect(second.code, second.stderr).toBe(0);
    const outcome = JSON.parse(second.stdout);
    expect(outcome).toMatchObject({ outcome: 'not-due', after: { published: [{ groupNumber: 1, status: 'sent_to_inbox', mode: 'draft' }], failed: [] } });
    expect(await query(`SELECT count(*)::int AS n FROM slide_groups WHERE session_id = ${active}`)).toEqual([{ n: 1 }]);
    const third = await slides(['run', '--due', '--publish', '--json'], utc);
    expect(JSON.parse(third.stdout)).toMatchObject({ outcome: 'not-due', after: { published: [], failed: [] } });

    const records = readFileSync(join(home, 'state', 'schedule.log'), 'utf8');
    expect(records).toContain('publish failed group=1: TikTok holds at most 5 unfinished drafts a day');
    expect(records).toMatch(/published group=1 sent_to_inbox publish_id=v_pub_file~v2-1\.\w+/);
    expect(records).toContain('nothing waits to publish');
  }, 180_000);

  test('run --due --publish with the session’s stored publish settings: direct needs --yes (nothing rendered without it), then posts with the stored privacy and comments', async () => {
    const utc = { SLIDES_TIMEZONE: 'UTC' };
    const created = await slides(['session', 'new', '--all', '--yes', '--frequency', '1', '--publish', 'direct', '--privacy', 'SELF_ONLY', '--allow-comments'], utc);
    expect(created.code, created.stderr).toBe(0);
    const noYes = await slides(['run', '--due', '--publish'], utc);
    expect(noYes.code).toBe(2);
    expect(lastLine(noYes.stderr)).toMatch(/^error: --publish direct posts without asking: pass --yes/);
    expect(await query('SELECT id FROM slide_groups WHERE session_id = (SELECT id FROM media_sessions WHERE is_active)')).toEqual([]);
    const run = await slides(['run', '--due', '--publish', '--yes'], utc);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Slide group 1 of session \w{8} done/m);
    expect(run.stdout).toMatch(/^Slide group 1 posted to TikTok \(publish id v_pub_file~v2-1\.\w+\)$/m);
    expect(run.stderr).toContain('Posting to TikTok as Sunny Slides');
    expect(run.stderr).toContain("By posting, you agree to TikTok's Music Usage Confirmation.");
    expect(posting.posts.at(-1)?.postInfo).toMatchObject({ privacy_level: 'SELF_ONLY', disable_comment: false, disable_duet: true, disable_stitch: true });
  }, 120_000);

  test('a token revoked at TikTok: publish is exit 3 telling to run slides tiktok connect', async () => {
    oauth.revokeAll();
    const run = await slides(['publish', '1', '--again']);
    expect(run.code).toBe(3);
    expect(lastLine(run.stderr)).toMatch(/^error: TikTok refused the refresh token \(expired or revoked\): invalid_grant.*\(run slides tiktok connect\)$/);
  }, 30_000);

  test('no access or refresh token in any output or any file under SLIDES_HOME; tiktok_auth holds ciphertext', async () => {
    const tokens = oauth.issued.map((t) => t.slice(4));
    expect(tokens.length).toBeGreaterThan(2);
    const seen = (text: string) => tokens.filter((t) => text.includes(t.slice(0, 12)) || text.includes(t.slice(-12)));
    expect(seen(outputs.join('\n'))).toEqual([]);
    for (const entry of readdirSync(home, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(seen(readFileSync(join(entry.parentPath, entry.name)).toString('latin1')), join(entry.parentPath, entry.name)).toEqual([]);
    }
    const [row] = await query<{ access_token: string; refresh_token: string }>('SELECT access_token, refresh_token FROM tiktok_auth');
    expect(row?.access_token).toMatch(/^tk1\./);
    expect(row?.refresh_token).toMatch(/^tk1\./);
  });
});
