import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { probeMedia } from '../../src/media/probe.js';
import { AlreadyPublished } from '../../src/services/publish/findGroup.js';
import { PhotoPrefixRefused, publishGroup, type PublishDeps, type PublishOptions } from '../../src/services/publish/publishGroup.js';
import { CHUNK_SIZE } from '../../src/tiktok/api/chunks.js';
import { TikTokRefused } from '../../src/tiktok/api/errors.js';
import { PostSettingRefused, type PostChoices } from '../../src/tiktok/publish/guidelines.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import type { FakePosting } from './fake/posting.js';
import type { FakeTikTok } from './fake/server.js';
import { fakeTikTokWithToken, finishedGroup, quickWaiter } from './publishFixtures.js';

const OFF: PostChoices = {
  allowComments: false,
  allowDuet: false,
  allowStitch: false,
  brandOrganic: false,
  brandedContent: false,
  autoMusic: false,
};

let tdb: TestDatabase;
let backend: Backend;
let dirs: { data: string; cache: string };
let fake: FakeTikTok;
let posting: FakePosting;
let access: Awaited<ReturnType<typeof fakeTikTokWithToken>>['access'];
let waiter: ReturnType<typeof quickWaiter>;

beforeAll(async () => {
  tdb = await testDatabase();
});

afterAll(async () => {
  await tdb.close();
});

beforeEach(async () => {
  backend = await tdb.user();
  const home = mkdtempSync(join(tmpdir(), 'slides-publish-'));
  dirs = { data: join(home, 'data'), cache: join(home, 'cache') };
  ({ fake, posting, access } = await fakeTikTokWithToken());
  waiter = quickWaiter();
});

afterEach(async () => {
  await fake.close();
});

function deps(extra: Partial<PublishDeps> = {}): PublishDeps {
  return {
    backend,
    clock: { now: () => new Date() },
    paths: dirs,
    endpoints: { authUrl: `${fake.url}/v2/auth/authorize/`, apiUrl: fake.url },
    access,
    waiter,
    ...extra,
  };
}

function options(extra: Partial<PublishOptions> = {}): PublishOptions {
  return { kind: 'video', mode: 'draft', choices: OFF, again: false, probeDuration: async (f) => (await probeMedia(f)).durationSeconds ?? 0, ...extra };
}

const paths = () => fake.log.map((l) => `${l.method} ${l.path.replace(/upload\/.*/, 'upload/…')} ${l.status}`);
const posts = () => backend.rows.select('slide_group_posts', { order: [{ column: 'created_at' }] });

describe('slides publish, against the fake TikTok', () => {
  it('a draft goes to the inbox: FILE_UPLOAD in one chunk, polled to SEND_TO_USER_INBOX, recorded once', async () => {
    const group = await finishedGroup(backend, dirs.data);
    const result = await publishGroup(deps(), options());
    expect(result).toMatchObject({ groupId: group.id, kind: 'video', mode: 'draft', status: 'sent_to_inbox', resumed: false });
    expect(paths()).toEqual([
      'POST /v2/post/publish/inbox/video/init/ 200',
      'PUT /upload/… 201',
      'POST /v2/post/publish/status/fetch/ 200',
      'POST /v2/post/publish/status/fetch/ 200',
    ]);
    const [sent] = posting.posts;
    const size = statSync(join(dirs.data, 'groups', group.session_id, group.folder.split('/').pop() as string, 'video.mp4')).size;
    expect(sent).toMatchObject({ kind: 'inbox', postInfo: null, videoSize: size, chunkCount: 1, received: size, status: 'SEND_TO_USER_INBOX' });
    expect(sent?.chunks).toEqual([{ range: `bytes 0-${size - 1}/${size}`, bytes: size }]);
    expect(await posts()).toMatchObject([{ group_id: group.id, kind: 'video', mode: 'draft', status: 'sent_to_inbox', publish_id: sent?.publishId, round: 1 }]);

    const again = await publishGroup(deps(), options({ group: group.id.slice(0, 8) })).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AlreadyPublished);
    expect((again as AlreadyPublished).exitCode).toBe(2);
    expect(posting.posts).toHaveLength(1);

    const second = await publishGroup(deps(), options({ group: group.id, again: true }));
    expect(second.status).toBe('sent_to_inbox');
    expect((await posts()).map((p) => [p.round, p.status])).toEqual([
      [1, 'sent_to_inbox'],
      [2, 'sent_to_inbox'],
    ]);
  });

  it('the video comes from Exports when this machine has no group folder', async () => {
    await finishedGroup(backend, dirs.data, { localCopy: false });
    const result = await publishGroup(deps(), options());
    expect(result.video).toMatchObject({ downloaded: true, chunks: 1 });
    expect(posting.finished()).toHaveLength(1);
  });

  it('direct: creator_info first, privacy chosen from its options, toggles off unless asked, published with its post id', async () => {
    const group = await finishedGroup(backend, dirs.data);
    const offered: string[][] = [];
    const result = await publishGroup(
      deps({
        decide: async (creator) => {
          offered.push(creator.privacy_level_options);
          return { ...OFF, privacy: 'MUTUAL_FOLLOW_FRIENDS', title: 'Sunday hike', allowComments: true };
        },
      }),
      options({ mode: 'direct' }),
    );
    expect(offered).toEqual([['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY']]);
    expect(paths()[0]).toBe('POST /v2/post/publish/creator_info/query/ 200');
    expect(paths()[1]).toBe('POST /v2/post/publish/video/init/ 200');
    expect(posting.posts[0]?.postInfo).toEqual({
      title: 'Sunday hike',
      privacy_level: 'MUTUAL_FOLLOW_FRIENDS',
      disable_comment: false,
      disable_duet: true,
      disable_stitch: true,
      brand_content_toggle: false,
      brand_organic_toggle: false,
    });
    expect(result).toMatchObject({ status: 'published', creator: 'Sunny Slides', mode: 'direct' });
    expect(result.tiktokPostId).toMatch(/^\d+$/);
    expect((await posts())[0]).toMatchObject({ group_id: group.id, status: 'published', tiktok_post_id: result.tiktokPostId });
  });

  it('direct without a privacy level, with stitch where the creator disabled it, or branded and private: refused before anything is claimed or sent', async () => {
    await finishedGroup(backend, dirs.data);
    const refusal = (choices: PostChoices) => publishGroup(deps({ decide: async () => choices }), options({ mode: 'direct' })).catch((e: unknown) => e);
    const noPrivacy = (await refusal(OFF)) as PostSettingRefused;
    expect(noPrivacy).toBeInstanceOf(PostSettingRefused);
    expect(noPrivacy).toMatchObject({ field: 'privacy', allowed: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'], exitCode: 2 });
    expect(await refusal({ ...OFF, privacy: 'FOLLOWER_OF_CREATOR' })).toMatchObject({ field: 'privacy', value: 'FOLLOWER_OF_CREATOR' });
    expect(await refusal({ ...OFF, privacy: 'SELF_ONLY', allowStitch: true })).toMatchObject({ field: 'allowStitch' });
    expect(await refusal({ ...OFF, privacy: 'SELF_ONLY', brandedContent: true })).toMatchObject({
      field: 'brandedContent',
      allowed: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS'],
    });
    posting.creator.max_video_post_duration_sec = 0.5;
    expect(await refusal({ ...OFF, privacy: 'SELF_ONLY' })).toMatchObject({ field: 'duration' });
    expect(posting.posts).toHaveLength(0);
    expect(await posts()).toHaveLength(0);
    expect(new Set(paths())).toEqual(new Set(['POST /v2/post/publish/creator_info/query/ 200']));
  });

  it('photos: PULL_FROM_URL from the verified prefix + the Exports keys; refused without a prefix or with an http one', async () => {
    const group = await finishedGroup(backend, dirs.data, { slides: 3 });
    for (const prefix of [undefined, 'http://cdn.example.com/exports']) {
      const refused = await publishGroup(deps(), options({ kind: 'photos', photoUrlPrefix: prefix })).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PhotoPrefixRefused);
      expect((refused as PhotoPrefixRefused).exitCode).toBe(2);
      expect((refused as PhotoPrefixRefused).message).toMatch(/verified for your app/);
    }
    expect(fake.log).toHaveLength(0);

    posting.verifiedPrefixes = ['https://cdn.example.com/exports/'];
    const result = await publishGroup(
      deps(),
      options({ kind: 'photos', photoUrlPrefix: 'https://cdn.example.com/exports', choices: { ...OFF, title: 'Three views', autoMusic: true } }),
    );
    expect(result).toMatchObject({ kind: 'photos', status: 'sent_to_inbox' });
    const sent = posting.posts[0];
    expect(sent?.postMode).toBe('MEDIA_UPLOAD');
    expect(sent?.sourceInfo).toEqual({
      source: 'PULL_FROM_URL',
      photo_cover_index: 0,
      photo_images: [1, 2, 3].map((i) => `https://cdn.example.com/exports/${group.folder}/slide-0${i}.jpg`),
    });
    expect(sent?.postInfo).toEqual({ title: 'Three views', description: 'Three views', disable_comment: true, auto_add_music: true });
  });

  it("the post text comes from the manifest (the session's post caption and hashtags) unless a title is given", async () => {
    const group = await finishedGroup(backend, dirs.data);
    const folder = join(dirs.data, 'groups', group.session_id, group.folder.split('/').pop() as string);
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ post: { caption: 'Day 3 of the trail', hashtags: ['#hike', '#alps'] } }));
    const decided: (string | null)[] = [];
    const direct = await publishGroup(
      deps({ decide: async (_c, _k, text) => (decided.push(text), { ...OFF, privacy: 'SELF_ONLY', title: text ?? undefined }) }),
      options({ mode: 'direct' }),
    );
    expect(decided).toEqual(['Day 3 of the trail #hike #alps']);
    expect(posting.posts[0]?.postInfo).toMatchObject({ title: 'Day 3 of the trail #hike #alps' });
    expect(direct.text).toBe('Day 3 of the trail #hike #alps');

    posting.verifiedPrefixes = ['https://cdn.example.com/'];
    const photos = await publishGroup(deps(), options({ kind: 'photos', photoUrlPrefix: 'https://cdn.example.com', choices: { ...OFF, title: 'Trail' } }));
    expect(posting.posts[1]?.postInfo).toMatchObject({ title: 'Trail', description: 'Day 3 of the trail #hike #alps' });
    expect(photos.text).toBe('Day 3 of the trail #hike #alps');
    await publishGroup(deps(), options({ kind: 'photos', photoUrlPrefix: 'https://cdn.example.com', group: group.id, again: true }));
    expect(posting.posts[2]?.postInfo).toMatchObject({ title: 'Day 3 of the trail', description: 'Day 3 of the trail #hike #alps' });
  });

  it('photos refuse duet and stitch (comments only)', async () => {
    await finishedGroup(backend, dirs.data);
    const refused = await publishGroup(
      deps(),
      options({ kind: 'photos', photoUrlPrefix: 'https://cdn.example.com/x', choices: { ...OFF, allowDuet: true } }),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ field: 'allowDuet' });
  });

  it('a video over 5 MB goes in floor(size / 5 MB) chunks, the last taking the rest; a 5xx chunk is retried and a 403 re-initialises', async () => {
    await finishedGroup(backend, dirs.data, { video: { seconds: 3, noisy: true } });
    posting.failChunk(1, 503);
    posting.failChunk(0, 403);
    const result = await publishGroup(deps(), options());
    const size = result.video?.bytes as number;
    const count = Math.floor(size / CHUNK_SIZE);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(result.video?.chunks).toBe(count);
    expect(posting.posts).toHaveLength(2);
    const [expired, sent] = posting.posts;
    expect(expired?.received).toBe(0);
    expect(sent).toMatchObject({ chunkSize: CHUNK_SIZE, chunkCount: count, received: size, status: 'SEND_TO_USER_INBOX' });
    expect(sent?.chunks.map((c) => c.range)).toEqual(
      Array.from({ length: count }, (_, i) => `bytes ${i * CHUNK_SIZE}-${i === count - 1 ? size - 1 : (i + 1) * CHUNK_SIZE - 1}/${size}`),
    );
    expect(sent?.chunks.at(-1)?.bytes).toBe(size - (count - 1) * CHUNK_SIZE);
    expect(paths().filter((p) => p.startsWith('PUT')).map((p) => p.split(' ')[2])).toEqual([
      '403',
      ...Array.from({ length: count }, (_, i) => (i === 1 ? ['503', '206'] : [i === count - 1 ? '201' : '206'])).flat(),
    ]);
    expect((await posts())[0]).toMatchObject({ status: 'sent_to_inbox', publish_id: sent?.publishId });
  });

  it('a 429 is waited out (Retry-After honoured) and retried: the post still goes out', async () => {
    await finishedGroup(backend, dirs.data);
    posting.throttle('init', 1, 7);
    posting.throttle('status', 2);
    const result = await publishGroup(deps(), options());
    expect(result.status).toBe('sent_to_inbox');
    expect(paths().filter((p) => p.endsWith(' 429'))).toHaveLength(3);
    expect(waiter.asked).toContain(7000);
    expect(waiter.asked.filter((ms) => ms === 5000 || ms === 10000)).toEqual([5000, 10000]);
  });

  it('the access token expiring mid-run is refreshed once and the post carries on', async () => {
    await finishedGroup(backend, dirs.data);
    posting.beforeChunk = () => {
      const issued = fake.accessTokens.get(access.current());
      if (issued) issued.expiresAt = 0;
    };
    const result = await publishGroup(deps(), options());
    expect(result.status).toBe('sent_to_inbox');
    expect(access.refreshes).toBe(1);
    expect(paths().filter((p) => p.endsWith(' 401'))).toEqual(['POST /v2/post/publish/status/fetch/ 401']);
  });

  it('TikTok refusing or failing a post says why in a sentence, and frees the group for a retry', async () => {
    const group = await finishedGroup(backend, dirs.data);
    posting.failNextInit('spam_risk_too_many_pending_share', 200);
    const refused = (await publishGroup(deps(), options()).catch((e: unknown) => e)) as TikTokRefused;
    expect(refused).toBeInstanceOf(TikTokRefused);
    expect(refused.message).toBe(
      'TikTok holds at most 5 unfinished drafts a day: finish or delete some in the TikTok app, then run slides publish again',
    );
    expect(await posts()).toMatchObject([{ status: 'failed', fail_reason: 'spam_risk_too_many_pending_share', publish_id: null }]);

    posting.failNextPost('frame_rate_check_failed');
    const failed = (await publishGroup(deps(), options()).catch((e: unknown) => e)) as TikTokRefused;
    expect(failed.message).toBe('TikTok takes videos between 23 and 60 frames a second');

    const retried = await publishGroup(deps(), options());
    expect(retried).toMatchObject({ groupId: group.id, status: 'sent_to_inbox' });
    expect((await posts()).map((p) => p.status)).toEqual(['failed', 'failed', 'sent_to_inbox']);
  });
});

describe('slide_group_posts claims', () => {
  it('the database holds one live post per group and kind', async () => {
    const group = await finishedGroup(backend, dirs.data);
    await backend.rows.insert('slide_group_posts', [{ group_id: group.id, kind: 'video', mode: 'draft', holder: 'a' }]);
    await expect(backend.rows.insert('slide_group_posts', [{ group_id: group.id, kind: 'video', mode: 'direct', holder: 'b' }])).rejects.toMatchObject({
      sqlState: '23505',
    });
    await backend.rows.insert('slide_group_posts', [{ group_id: group.id, kind: 'photos', mode: 'draft', holder: 'b' }]);
  });

  it("another user's groups and posts are invisible and cannot be claimed", async () => {
    const group = await finishedGroup(backend, dirs.data);
    const mallory = await tdb.user();
    await expect(
      mallory.rows.rpc('slides_claim_post', {
        p_group_id: group.id, p_kind: 'video', p_mode: 'draft', p_holder: 'm', p_now: new Date().toISOString(),
        p_stale_before: new Date().toISOString(), p_again: false,
      }),
    ).rejects.toMatchObject({ sqlState: 'P0002' });
    await publishGroup(deps(), options());
    expect(await mallory.rows.select('slide_group_posts')).toEqual([]);
  });

  it('a live claim with a fresh heartbeat elsewhere is left alone; once its lease lapses it is taken over', async () => {
    const { claimPost } = await import('../../src/services/publish/claim.js');
    const group = await finishedGroup(backend, dirs.data);
    const now = new Date('2026-12-02T09:00:00Z');
    const first = await claimPost(backend.rows, { groupId: group.id, kind: 'video', mode: 'draft', holder: 'one', now, leaseMs: 120_000, again: false });
    expect(first.kind).toBe('new');
    const soon = new Date(now.getTime() + 60_000);
    const busy = await claimPost(backend.rows, { groupId: group.id, kind: 'video', mode: 'draft', holder: 'two', now: soon, leaseMs: 120_000, again: false });
    expect(busy).toMatchObject({ kind: 'busy', post: { id: first.post.id, holder: 'one' } });
    const later = new Date(now.getTime() + 180_000);
    const taken = await claimPost(backend.rows, { groupId: group.id, kind: 'video', mode: 'draft', holder: 'two', now: later, leaseMs: 120_000, again: false });
    expect(taken).toMatchObject({ kind: 'resumed', post: { id: first.post.id, holder: 'two', attempts: 2 } });
  });
});
