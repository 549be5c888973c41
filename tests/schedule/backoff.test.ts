import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runScheduleStatus } from '../../src/commands/schedule/status.js';
import { runSessionShow } from '../../src/commands/session/show.js';
import type { Backend } from '../../src/db/backend.js';
import type { MediaSession } from '../../src/db/types.js';
import { backoffAt } from '../../src/services/schedule/backoff.js';
import { claimDueSlot, failClaim, type ClaimResult } from '../../src/services/schedule/claim.js';
import { finishGroup } from '../../src/services/schedule/finish.js';
import type { Machine } from '../../src/services/schedule/scheduler.js';
import { editSession } from '../../src/services/sessions/edit.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { sessionNow, sessionWithItems } from '../helpers/sessions.js';

const HOUR = 3_600_000;

describe('backoffAt', () => {
  const failedAt = new Date('2024-06-01T10:00:00Z');
  const at = (hours: number) => new Date(failedAt.getTime() + hours * HOUR);
  it.each([
    { failures: 0, now: 0.1, until: null },
    { failures: 2, now: 0.1, until: null },
    { failures: 3, now: 0.1, until: at(1) },
    { failures: 3, now: 1, until: null },
    { failures: 4, now: 1, until: at(6) },
    { failures: 9, now: 5.9, until: at(6) },
    { failures: 9, now: 6, until: null },
  ])('$failures failures in a row, $now h after the last: waits until $until', ({ failures, now, until }) => {
    expect(backoffAt(failures, failedAt, at(now))?.until ?? null).toEqual(until);
  });
});

describe('a session whose render always fails', () => {
  let t: TestDatabase;
  let user: Backend;
  let session: MediaSession;
  beforeAll(async () => {
    t = await testDatabase();
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    user = await t.user();
    // 96 slots a day (every 15 min), so a slot is always open when the back-off is not in the way.
    session = (await sessionWithItems(user, 2, { frequency: 96 })).session;
  });

  const timeZone = 'UTC';
  const runDue = async (iso: string): Promise<ClaimResult> =>
    claimDueSlot(user.rows, await sessionNow(user, session.id), { now: new Date(iso), timeZone });
  /** A scheduled run whose render fails a minute after it claims. */
  async function failingRun(iso: string): Promise<void> {
    const claim = await runDue(iso);
    if (claim.status !== 'claimed') throw new Error(`expected a claim at ${iso}, got ${claim.status} (${claim.schedule.reason})`);
    await failClaim(user.rows, claim, 'ffmpeg exited with 1', { now: new Date(new Date(iso).getTime() + 60_000), timeZone });
  }

  it('is retried by the next runs, then waits 1 h after the 3rd failure and 6 h after the 4th', async () => {
    await failingRun('2024-06-01T08:00:00Z');
    await failingRun('2024-06-01T08:15:00Z');
    await failingRun('2024-06-01T08:30:00Z');
    const waiting = await runDue('2024-06-01T08:45:00Z');
    expect(waiting).toMatchObject({ status: 'not-due', schedule: { reason: 'backing-off', due: false } });
    expect(waiting.schedule.backoff).toEqual({ failures: 3, until: new Date('2024-06-01T09:31:00Z') });
    await failingRun('2024-06-01T09:31:00Z');
    const longer = await runDue('2024-06-01T15:00:00Z');
    expect(longer.schedule).toMatchObject({ reason: 'backing-off', nextDueAt: new Date('2024-06-01T15:32:00Z') });
    expect((await runDue('2024-06-01T15:32:00Z')).status).toBe('claimed');
  });

  it('a group that finishes ends the back-off', async () => {
    for (const iso of ['2024-06-01T08:00:00Z', '2024-06-01T08:15:00Z', '2024-06-01T08:30:00Z']) await failingRun(iso);
    const claim = await runDue('2024-06-01T09:31:00Z');
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    await finishGroup(user.rows, claim.group, { slideCount: 2, videoPath: null, processedPaths: {}, exportedVideoPath: null });
    expect(await sessionNow(user, session.id)).toMatchObject({ consecutive_failures: 0, last_failed_at: null });
    expect((await runDue('2024-06-01T09:45:00Z')).status).toBe('claimed');
  });

  it('session edit ends the back-off', async () => {
    for (const iso of ['2024-06-01T08:00:00Z', '2024-06-01T08:15:00Z', '2024-06-01T08:30:00Z']) await failingRun(iso);
    await editSession(user.rows, session.id, { settings: { maxPerDay: 100 } });
    expect((await runDue('2024-06-01T08:45:00Z')).status).toBe('claimed');
  });

  it('session show and schedule status say it is backing off, and until when', async () => {
    for (const iso of ['2024-06-01T08:00:00Z', '2024-06-01T08:15:00Z', '2024-06-01T08:30:00Z']) await failingRun(iso);
    const dir = mkdtempSync(join(tmpdir(), 'slides-backoff-'));
    try {
      const context = (json: boolean) =>
        testContext({ home: dir, backend: user, now: '2024-06-01T08:45:00Z', settings: { timezone: 'UTC' }, io: { json }, env: { HOME: dir } });
      const shown = await runSessionShow({}, context(true).ctx);
      expect(shown.schedule).toMatchObject({ due: false, reason: 'backing-off', consecutive_failures: 3, backing_off_until: '2024-06-01T09:31:00.000Z' });
      const show = context(false);
      await runSessionShow({}, show.ctx);
      expect(show.output.stdout).toMatch(/backing off after 3 failed renders in a row; next try .*09:31/);

      const machine: Machine = { platform: 'linux', runner: async () => ({ code: 1, stdout: '', stderr: 'no crontab' }), home: dir, uid: 1000, crontab: 'crontab' };
      const status = context(false);
      await runScheduleStatus({ runs: 1 }, status.ctx, machine);
      expect(status.output.stdout).toMatch(/Next group: .*09:31.*backing off after 3 failed renders in a row/);
      const json = context(true);
      await runScheduleStatus({ runs: 1 }, json.ctx, machine);
      expect(JSON.parse(json.output.stdout).next).toMatchObject({
        reason: 'backing-off',
        nextDueAt: '2024-06-01T09:31:00.000Z',
        backoff: { failures: 3, until: '2024-06-01T09:31:00.000Z' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
