import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSessionActivate } from '../../src/commands/session/activate.js';
import { runSessionEdit, type SessionEditOptions } from '../../src/commands/session/edit.js';
import { runSessionList } from '../../src/commands/session/list.js';
import { runSessionNew } from '../../src/commands/session/new.js';
import { runSessionShow } from '../../src/commands/session/show.js';
import { runSessionStop } from '../../src/commands/session/stop.js';
import type { Backend } from '../../src/db/backend.js';
import type { MediaSession } from '../../src/db/types.js';
import { userMessage } from '../../src/cli/settingFlags.js';
import { exitCodeOf, type SlidesError } from '../../src/errors.js';
import { loadSession } from '../../src/services/sessions/load.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { seedUploaded, writePhotos, writeText } from './fixtures.js';

let t: TestDatabase;
let alice: Backend;
let dir: string;
let first: MediaSession;
let second: MediaSession;

const NOW = '2024-05-01T13:00:00Z';
const context = (json = false, backend = alice) => testContext({ backend, now: NOW, io: { json }, settings: { timezone: 'Europe/Paris' } });

beforeEach(async () => {
  t = await testDatabase();
  alice = await t.user('alice@test.invalid');
  dir = mkdtempSync(join(tmpdir(), 'slides-manage-'));
  await seedUploaded(alice, await writePhotos(dir, ['a.jpg', 'b.jpg', 'c.jpg']));
  first = (await runSessionNew({ all: true, frequency: 4, maxPerDay: 5, perGroup: 2, captionTemplate: 'Day {n}' }, context().ctx))!.session;
  second = (await runSessionNew({ all: true, frequency: 1, yes: true }, context().ctx))!.session;
});
afterEach(async () => t.close());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('expected a failure'),
    (e: unknown) => e as SlidesError,
  );

describe('slides session list', () => {
  it('lists sessions newest first and marks the active one', async () => {
    const { ctx, output } = context(true);
    const listed = await runSessionList(ctx);
    expect(listed.map((s) => [s.id, s.is_active, s.item_count])).toEqual([
      [second.id, true, 3],
      [first.id, false, 3],
    ]);
    expect(JSON.parse(output.stdout)).toHaveLength(2);
  });

  it('prints one tab-separated line per session when not on a terminal', async () => {
    const { ctx, output } = context();
    await runSessionList(ctx);
    expect(output.stdout.trimEnd().split('\n').map((l) => l.split('\t').slice(0, 2))).toEqual([
      [second.id, 'active'],
      [first.id, 'stopped'],
    ]);
  });
});

describe('slides session show', () => {
  it('shows the active session by default: items, captions, outputs, and when the next group is due', async () => {
    const [item] = await alice.rows.select('session_media_items', { where: { session_id: first.id, position: 0 } });
    await alice.rows.update('session_media_items', { processed_file_path: 'u/s/g/slide-01.jpg' }, { id: item!.id });
    await runSessionActivate({ id: first.id }, context().ctx);
    await alice.rows.update('media_sessions', { last_run_at: '2024-05-01T06:05:00Z', created_per_day: 2 }, { id: first.id });
    const { ctx, output } = context(true);
    const shown = await runSessionShow({}, ctx);
    expect(shown.session.id).toBe(first.id);
    expect(shown.items.map((i) => [i.number, i.position, i.file, i.caption, i.processed_file_path])).toEqual([
      [1, 0, 'a.jpg', 'Day 1', 'u/s/g/slide-01.jpg'],
      [2, 1, 'b.jpg', 'Day 2', null],
      [3, 2, 'c.jpg', 'Day 3', null],
    ]);
    // Paris is UTC+2 on 1 May: slots at 00:00, 06:00, 12:00, 18:00 local; 15:00 local has passed 3 of them.
    expect(shown.schedule).toEqual({
      frequency: 4,
      max_per_day: 5,
      per_group: 2,
      created_today: 2,
      last_run_at: '2024-05-01T06:05:00.000Z',
      next_due_at: NOW.replace('Z', '.000Z'),
      due: true,
      reason: 'slot-open',
      consecutive_failures: 0,
      backing_off_until: null,
    });
    expect(shown.groups).toEqual([]);
    expect(JSON.parse(output.stdout)).toEqual(JSON.parse(JSON.stringify(shown)));
  });

  it('prints the schedule and the items for people', async () => {
    const { ctx, output } = context();
    await runSessionShow({ id: first.id.slice(0, 8) }, ctx);
    expect(output.stdout).toContain(`Session   ${first.id} (stopped)`);
    expect(output.stdout).toContain('Schedule  4 groups a day (at most 5), 2 slides each');
    expect(output.stdout).toContain('Today     0 groups made; not scheduled (stopped)');
    expect(output.stdout).toMatch(/#\s+FILE\s+TYPE\s+CAPTION\s+LAST OUTPUT\n1\s+a\.jpg\s+image\s+Day 1\n/);
  });

  it('lists the latest groups, newest first, with the reason a failed one failed', async () => {
    await alice.rows.insert('slide_groups', [
      { session_id: second.id, group_number: 1, folder: 'u/s/2024-05-01T06-00-00Z', status: 'done', slide_count: 3, created_at: '2024-05-01T06:00:00Z' },
      { session_id: second.id, group_number: 2, folder: '', status: 'failed', error: 'video: ffmpeg exited with code 1', created_at: '2024-05-01T12:00:00Z' },
    ]);
    const { ctx, output } = context();
    const shown = await runSessionShow({}, ctx);
    expect(shown.groups.map((g) => [g.group_number, g.status, g.error])).toEqual([
      [2, 'failed', 'video: ffmpeg exited with code 1'],
      [1, 'done', null],
    ]);
    expect(output.stdout).toMatch(/GROUP\s+STARTED\s+STATUS\s+SLIDES\s+FOLDER OR REASON\n2\s+2024-05-01 14:00\s+failed\s+0\s+video: ffmpeg exited with code 1\n1\s+2024-05-01 08:00\s+done\s+3\s+u\/s\/2024-05-01T06-00-00Z/);
  });

  it('tells when the next slot is, in the local time zone', async () => {
    // Slots at 00:00, 08:00 and 16:00 Paris time; at 15:00 two have passed and two groups are made.
    await alice.rows.update('media_sessions', { frequency: 3, max_per_day: 3 }, { id: second.id });
    await alice.rows.update('media_sessions', { last_run_at: '2024-05-01T09:00:00Z', created_per_day: 2 }, { id: second.id });
    const { ctx, output } = context();
    const shown = await runSessionShow({}, ctx);
    expect(shown.schedule.next_due_at).toBe('2024-05-01T14:00:00.000Z');
    expect(output.stdout).toContain('Today     2 groups made; next due 2024-05-01 16:00');
  });

  it('says there is no active session, or no such session', async () => {
    await runSessionStop({}, context().ctx);
    const none = await failure(runSessionShow({}, context().ctx));
    expect([exitCodeOf(none), none.message]).toEqual([2, 'there is no active session.']);
    const unknown = await failure(runSessionShow({ id: 'abcdef12' }, context().ctx));
    expect([exitCodeOf(unknown), unknown.message]).toEqual([2, 'no such session: abcdef12']);
  });
});

describe('slides session activate / stop', () => {
  it('activate switches the active session in one step', async () => {
    const { ctx, output } = context();
    const result = await runSessionActivate({ id: first.id.slice(0, 8) }, ctx);
    expect(result.previous?.id).toBe(second.id);
    const active = (await alice.rows.select('media_sessions', { where: { is_active: true } })).map((s) => s.id);
    expect(active).toEqual([first.id]);
    expect(output.stdout).toBe(`Session ${first.id.slice(0, 8)} is the active session.\n`);
    expect(output.stderr).toBe(`Stopped session ${second.id.slice(0, 8)}.\n`);
  });

  it("another user's session is no such session", async () => {
    const bob = await t.user('bob@test.invalid');
    const error = await failure(runSessionActivate({ id: first.id }, context(false, bob).ctx));
    expect([exitCodeOf(error), error.message]).toEqual([2, `no such session: ${first.id}`]);
    expect((await loadSession(alice.rows)).session.id).toBe(second.id);
  });

  it('stop switches the active session off; again, it says there is nothing to stop', async () => {
    const { ctx, output } = context(true);
    expect(await runSessionStop({}, ctx)).toMatchObject({ stopped: true, session: { id: second.id, is_active: false } });
    expect(JSON.parse(output.stdout)).toMatchObject({ stopped: true });
    const again = context();
    expect(await runSessionStop({}, again.ctx)).toEqual({ session: null, stopped: false });
    expect(again.output.stderr).toBe('No session is active; nothing to stop.\n');
    expect(await runSessionStop({ id: first.id }, context().ctx)).toMatchObject({ stopped: false });
  });
});

describe('slides session edit', () => {
  const edit = (o: Omit<SessionEditOptions, 'id'>, id = first.id) => runSessionEdit({ id, ...o }, context().ctx, () => 0);
  const captions = async () => (await loadSession(alice.rows, first.id)).items.map((i) => [i.name, i.item.generated_caption]);

  it('sets one caption, removes another, and keeps the rest', async () => {
    const result = await edit({ caption: ['2=sunset 🌅 | golden hour', '3='] });
    expect(result.captionsChanged).toBe(2);
    expect(await captions()).toEqual([
      ['a.jpg', 'Day 1'],
      ['b.jpg', 'sunset 🌅 | golden hour'],
      ['c.jpg', null],
    ]);
  });

  it('applies a captions file over the current captions and says what the rest keep', async () => {
    const file = writeText(join(dir, 'new.txt'), 'eins\n');
    const { ctx, output } = context();
    await runSessionEdit({ id: first.id, captions: file, caption: ['3=drei'] }, ctx);
    expect(await captions()).toEqual([
      ['a.jpg', 'eins'],
      ['b.jpg', 'Day 2'],
      ['c.jpg', 'drei'],
    ]);
    expect(output.stderr).toContain(`--captions ${file} has 1 line for 3 items: items 2–3 are captioned by a caption given for the item or the caption the item had\n`);
  });

  it('reorders the items and keeps each caption with its file', async () => {
    const result = await edit({ order: 'shuffle' });
    expect(result.reordered).toBe(true);
    expect(await captions()).toEqual([
      ['b.jpg', 'Day 2'],
      ['c.jpg', 'Day 3'],
      ['a.jpg', 'Day 1'],
    ]);
    expect(result.items.map((i) => i.item.position)).toEqual([0, 1, 2]);
  });

  it('changes the schedule', async () => {
    const result = await edit({ frequency: 2, maxPerDay: 2, perGroup: 3 });
    expect(result.session).toMatchObject({ frequency: 2, max_per_day: 2, per_group: 3 });
  });

  it.each<[Omit<SessionEditOptions, 'id'>, RegExp]>([
    [{}, /nothing to change/],
    [{ frequency: 6 }, /^--frequency 6: would be above the session's max per day of 5/],
    [{ maxPerDay: 3 }, /^--max-per-day 3: would be below the session's frequency of 4 a day/],
    [{ frequency: 0 }, /^--frequency 0: expected a whole number above 0/],
    [{ perGroup: 4 }, /^--per-group 4: is more than the 3 item\(s\)/],
    [{ caption: ['4=x'] }, /^--caption 4: the session has 3 item\(s\), numbered 1 to 3/],
    [{ caption: ['two=x'] }, /--caption "two=x": expected N=TEXT/],
    [{ captionTemplate: '{nope}' }, /unknown placeholder \{nope\}/],
  ])('refuses %o with exit 2', async (o, message) => {
    const error = await failure(edit(o));
    expect(exitCodeOf(error)).toBe(2);
    expect(userMessage(error)).toMatch(message);
  });
});
