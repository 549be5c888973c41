/**
 * 0004 on PGlite: the claim hands out the group's number and items, finishing and failing a group
 * are one call each, and so are `session edit` and `files rm --force`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import type { MediaSession, SessionMediaItem, SlideGroup } from '../../src/db/types.js';
import { claimGroup, failGroup, type Claim } from '../../src/services/schedule/claim.js';
import { finishGroup } from '../../src/services/schedule/finish.js';
import { editSession } from '../../src/services/sessions/edit.js';
import { removeFiles } from '../../src/services/upload/removeFiles.js';
import { failingAtWrite, InjectedFault } from '../helpers/faults.js';
import { itemsInOrder, sessionNow, sessionWithItems } from '../helpers/sessions.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;

// One database for the file, a new user per test: each test sees only its own rows.
beforeAll(async () => {
  t = await testDatabase();
});
beforeEach(async () => {
  user = await t.user();
});
afterAll(async () => t.close());

const timeZone = 'UTC';

/** A manual render's claim: on the session as it is now, one more for today. */
async function claim(sessionId: string, now = '2024-06-01T10:00:00Z'): Promise<Claim> {
  const seen = await sessionNow(user, sessionId);
  const claimed = await claimGroup(user.rows, seen, { now: new Date(now), createdPerDay: seen.created_per_day + 1, requireActive: false });
  if (!claimed) throw new Error('expected a claim');
  return claimed;
}

const finish = (group: SlideGroup, video: string | null = null) =>
  finishGroup(user.rows, group, {
    slideCount: group.item_ids.length,
    videoPath: video,
    processedPaths: Object.fromEntries(group.item_ids.map((id, i) => [id, `exports/${group.group_number}/slide-${i + 1}.jpg`])),
    exportedVideoPath: video,
  });

const fail = (group: SlideGroup, now = '2024-06-01T10:05:00Z') => failGroup(user.rows, group, 'it broke', { now: new Date(now), timeZone });

const groupsOf = (sessionId: string) => user.rows.select('slide_groups', { where: { session_id: sessionId }, order: [{ column: 'group_number' }] });

describe('slides_claim_group hands out the number and the items', () => {
  it('claims made before any group finishes get their own numbers and disjoint items', async () => {
    const { session, items } = await sessionWithItems(user, 6, { perGroup: 2 });
    const claims = [await claim(session.id), await claim(session.id), await claim(session.id)];
    expect(claims.map((c) => c.group.group_number)).toEqual([1, 2, 3]);
    const ids = items.map((i) => i.id);
    expect(claims.map((c) => c.group.item_ids)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4, 6)]);
    expect(await sessionNow(user, session.id)).toMatchObject({ next_position: 0, last_group_number: 3, groups_created: 0 });
  });

  it('takes per_group items from next_position, wrapping around the end', async () => {
    const { session, items } = await sessionWithItems(user, 5, { perGroup: 3 });
    const ids = items.map((i) => i.id);
    expect((await claim(session.id)).group.item_ids).toEqual(ids.slice(0, 3));
    expect((await claim(session.id)).group.item_ids).toEqual([ids[3], ids[4], ids[0]]);
    expect((await sessionNow(user, session.id)).next_position).toBe(1);
  });

  it('takes every item by default, at most 35 (a TikTok photo post)', async () => {
    const small = await sessionWithItems(user, 4);
    expect((await claim(small.session.id)).group.item_ids).toEqual(small.items.map((i) => i.id));
    const big = await sessionWithItems(user, 40);
    expect((await claim(big.session.id)).group.item_ids).toEqual(big.items.slice(0, 35).map((i) => i.id));
    expect((await sessionNow(user, big.session.id)).next_position).toBe(35);
  });

  it('a group number belongs to one group of the session (unique index)', async () => {
    const { session } = await sessionWithItems(user, 2);
    const first = await claim(session.id);
    await expect(
      user.rows.insert('slide_groups', [{ session_id: session.id, group_number: first.group.group_number, folder: '' }]),
    ).rejects.toMatchObject({ sqlState: '23505' });
  });
});

describe('slides_finish_group', () => {
  it('records group, items and session in one call; finishes out of order count every group and keep the newest video', async () => {
    const { session } = await sessionWithItems(user, 4, { perGroup: 2 });
    const a = await claim(session.id);
    const b = await claim(session.id);
    await finish(b.group, 'exports/2/video.mp4');
    const after = await finish(a.group, 'exports/1/video.mp4');
    expect(after).toMatchObject({ groups_created: 2, exported_video_path: 'exports/2/video.mp4', created_per_day: 2 });
    expect((await groupsOf(session.id)).map((g) => [g.group_number, g.status, g.slide_count])).toEqual([
      [1, 'done', 2],
      [2, 'done', 2],
    ]);
    const processed = (await itemsInOrder(user, session.id)).map((i) => i.processed_file_path);
    expect(processed).toEqual(['exports/1/slide-1.jpg', 'exports/1/slide-2.jpg', 'exports/2/slide-1.jpg', 'exports/2/slide-2.jpg']);
  });

  it('refuses a group another run marked failed meanwhile, and counts nothing', async () => {
    const { session } = await sessionWithItems(user, 2);
    const c = await claim(session.id);
    expect(await fail(c.group)).not.toBeNull();
    await expect(finish(c.group, 'exports/1/video.mp4')).rejects.toThrow(/no longer rendering/);
    expect(await sessionNow(user, session.id)).toMatchObject({ groups_created: 0, created_per_day: 0, exported_video_path: null });
    expect((await itemsInOrder(user, session.id)).every((i) => i.processed_file_path === null)).toBe(true);
  });
});

describe('slides_fail_group', () => {
  it('gives the count back once, counts the failure and hands the items to the next group', async () => {
    const { session, items } = await sessionWithItems(user, 4, { perGroup: 2 });
    const c = await claim(session.id);
    expect((await fail(c.group))?.status).toBe('failed');
    expect(await fail(c.group)).toBeNull();
    expect(await sessionNow(user, session.id)).toMatchObject({
      created_per_day: 0,
      consecutive_failures: 1,
      last_failed_at: '2024-06-01T10:05:00.000Z',
      next_position: 0,
    });
    const retry = await claim(session.id, '2024-06-01T10:20:00Z');
    expect(retry.group).toMatchObject({ group_number: 2, item_ids: [items[0]?.id, items[1]?.id] });
  });

  it('keeps next_position once a later group was claimed (its items are that group’s)', async () => {
    const { session } = await sessionWithItems(user, 6, { perGroup: 2 });
    const first = await claim(session.id);
    await claim(session.id);
    await fail(first.group);
    expect(await sessionNow(user, session.id)).toMatchObject({ next_position: 4, created_per_day: 1 });
  });

  it('gives nothing back once the count has moved on to a later day', async () => {
    const { session } = await sessionWithItems(user, 4, { perGroup: 2 });
    const yesterday = await claim(session.id, '2024-06-01T23:00:00Z');
    const seen = await sessionNow(user, session.id);
    await claimGroup(user.rows, seen, { now: new Date('2024-06-02T08:00:00Z'), createdPerDay: 1, requireActive: false });
    await fail(yesterday.group, '2024-06-02T08:10:00Z');
    expect((await sessionNow(user, session.id)).created_per_day).toBe(1);
  });
});

/**
 * Runs `write` on a fresh subject through rows that stop at write 1, 2, … until one run gets
 * through: each stopped run's state next to its state before, and the completed run's.
 */
async function stoppedAtEachWrite<T>(
  fresh: () => Promise<T>,
  write: (rows: ReturnType<typeof failingAtWrite>, subject: T) => Promise<unknown>,
  state: (subject: T) => Promise<unknown>,
): Promise<{ stopped: Array<{ before: unknown; after: unknown }>; completed: { before: unknown; after: unknown } }> {
  const stopped: Array<{ before: unknown; after: unknown }> = [];
  for (let n = 1; ; n++) {
    const subject = await fresh();
    const before = await state(subject);
    try {
      await write(failingAtWrite(user.rows, n), subject);
    } catch (error) {
      if (!(error instanceof InjectedFault)) throw error;
      stopped.push({ before, after: await state(subject) });
      continue;
    }
    return { stopped, completed: { before, after: await state(subject) } };
  }
}

describe('session edit is one transaction', () => {
  it('stopped at any write, the session is as it was', async () => {
    const state = async (s: MediaSession) => ({
      session: await sessionNow(user, s.id),
      items: (await itemsInOrder(user, s.id)).map((i) => [i.id, i.position, i.generated_caption]),
    });
    const { stopped, completed } = await stoppedAtEachWrite(
      async () => (await sessionWithItems(user, 4)).session,
      (rows, s) =>
        editSession(rows, s.id, { order: 'shuffle', captions: new Map([[1, 'new first'], [3, 'new third']]), settings: { frequency: 2 } }, () => 0),
      state,
    );
    expect(stopped.length).toBeGreaterThan(0);
    for (const run of stopped) expect(run.after).toEqual(run.before);
    expect(completed.after).not.toEqual(completed.before);
    expect((completed.after as { session: MediaSession }).session.frequency).toBe(2);
  });

  it('ends the back-off: an edit is the creator’s fix', async () => {
    const { session } = await sessionWithItems(user, 2);
    for (let i = 0; i < 3; i++) await fail((await claim(session.id, `2024-06-01T1${i}:00:00Z`)).group, `2024-06-01T1${i}:01:00Z`);
    expect((await sessionNow(user, session.id)).consecutive_failures).toBe(3);
    await editSession(user.rows, session.id, { captions: new Map([[1, 'fixed']]) });
    expect(await sessionNow(user, session.id)).toMatchObject({ consecutive_failures: 0, last_failed_at: null });
  });
});

describe('files rm --force', () => {
  it('closes the position gaps and keeps next_position on the item that was next', async () => {
    const { session, items } = await sessionWithItems(user, 6, { perGroup: 3 });
    await claim(session.id);
    expect((await sessionNow(user, session.id)).next_position).toBe(3);
    const gone = [items[1], items[3]].map((i) => i?.source_file_id as string);
    const result = await removeFiles(user, gone, { force: true });
    expect(result).toMatchObject({ sessionItemsRemoved: 2 });
    const left = await itemsInOrder(user, session.id);
    expect(left.map((i) => i.id)).toEqual([items[0], items[2], items[4], items[5]].map((i) => i?.id));
    expect(left.map((i) => i.position)).toEqual([0, 1, 2, 3]);
    const after = await sessionNow(user, session.id);
    expect(left[after.next_position]?.id).toBe(items[4]?.id);
    expect((await claim(session.id)).group.item_ids).toEqual([items[4], items[5], items[0]].map((i) => i?.id));
  });

  it('removing every item of a session leaves it empty at position 0', async () => {
    const { session, items } = await sessionWithItems(user, 3, { perGroup: 2 });
    await claim(session.id);
    await removeFiles(user, items.map((i) => i.source_file_id as string), { force: true });
    expect(await itemsInOrder(user, session.id)).toEqual([]);
    expect((await sessionNow(user, session.id)).next_position).toBe(0);
  });

  it('stopped at any write, nothing is removed', async () => {
    const state = async ({ session, items }: { session: MediaSession; items: SessionMediaItem[] }) => ({
      items: (await itemsInOrder(user, session.id)).map((i) => [i.id, i.position]),
      files: (await user.rows.select('source_files', { where: { id: { in: items.map((i) => i.source_file_id as string) } } })).length,
    });
    const { stopped, completed } = await stoppedAtEachWrite(
      () => sessionWithItems(user, 3),
      (rows, s) => removeFiles({ ...user, rows }, [s.items[0]?.source_file_id as string], { force: true }),
      state,
    );
    expect(stopped.length).toBeGreaterThan(0);
    for (const run of stopped) expect(run.after).toEqual(run.before);
    expect(completed.after).toMatchObject({ files: 2, items: [[expect.any(String), 0], [expect.any(String), 1]] });
  });

  it('without --force the database refuses a file a session took after the check', async () => {
    const { items } = await sessionWithItems(user, 2);
    await expect(
      user.rows.rpc('slides_remove_source_files', { p_ids: [items[0]?.source_file_id], p_force: false }),
    ).rejects.toMatchObject({ sqlState: '23503' });
  });
});
