import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { localBackend } from '../../src/db/local/backend.js';
import type { MediaSession } from '../../src/db/types.js';
import { BackendUnavailable } from '../../src/errors.js';
import { readRunRecords, scheduleLogPath } from '../../src/services/schedule/log.js';
import type { Claim } from '../../src/services/schedule/claim.js';
import { runDueDeps } from '../../src/commands/run.js';
import { runDue } from '../../src/services/schedule/runDue.js';
import { tryRunLock } from '../../src/services/schedule/runLock.js';
import { testContext } from '../helpers/context.js';
import { emptySession, sessionNow } from '../helpers/sessions.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
});
afterEach(async () => t.close());

const settings = { timezone: 'UTC' } as const;

const activeSession = (state: Partial<MediaSession> = {}) => emptySession(user, state);
const reread = (id: string) => sessionNow(user, id);

/** A render that finishes the claimed slide group, as the real pipeline does. */
function recordingRender(backend: Backend, calls: MediaSession[]) {
  return async (claim: Claim) => {
    calls.push(claim.session);
    const [group] = await backend.rows.update('slide_groups', { folder: 'x', status: 'done' }, { id: claim.group.id });
    return { groupId: group!.id };
  };
}

const records = (home: string) => readRunRecords(scheduleLogPath(`${home}/state`), 100);

describe('runDue', () => {
  it('renders once when the active session is due, with the claimed row, and logs it', async () => {
    const session = await activeSession();
    const { ctx, home } = testContext({ backend: user, now: '2024-06-01T06:05:00Z', settings });
    const calls: MediaSession[] = [];
    const outcome = await runDue(runDueDeps(ctx), { render: recordingRender(user, calls) });
    expect(outcome).toMatchObject({ outcome: 'rendered', sessionId: session.id });
    expect(calls.map((s) => s.created_per_day)).toEqual([1]);
    expect((await reread(session.id)).created_per_day).toBe(1);
    expect(records(home)).toMatchObject([{ outcome: 'rendered', at: new Date('2024-06-01T06:05:00Z') }]);
  });

  it('does nothing when not due, and says when it will be', async () => {
    const session = await activeSession({ last_run_at: '2024-06-01T06:00:00Z', created_per_day: 2 });
    const { ctx, home } = testContext({ backend: user, now: '2024-06-01T07:00:00Z', settings });
    const calls: MediaSession[] = [];
    expect(await runDue(runDueDeps(ctx), { render: recordingRender(user, calls) })).toMatchObject({ outcome: 'not-due' });
    expect(calls).toEqual([]);
    expect(await reread(session.id)).toEqual(session);
    expect(records(home)[0]).toMatchObject({ outcome: 'not-due', detail: expect.stringContaining('next=2024-06-01T12:00:00.000Z') });
  });

  it('a failed render gives the slot back, logs the failure and rethrows it', async () => {
    const session = await activeSession();
    const { ctx, home } = testContext({ backend: user, now: '2024-06-01T00:00:00Z', settings });
    const failure = new BackendUnavailable('Exports upload refused');
    await expect(runDue(runDueDeps(ctx), { render: async () => Promise.reject(failure) })).rejects.toBe(failure);
    expect((await reread(session.id)).created_per_day).toBe(0);
    expect(records(home)[0]).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('slot given back') });
    const retry = testContext({ backend: user, now: '2024-06-01T00:15:00Z', settings, home });
    expect(await runDue(runDueDeps(retry.ctx), { render: async () => 'ok' })).toMatchObject({ outcome: 'rendered' });
  });

  it('skips with a log line while another run of the profile holds the lock', async () => {
    await activeSession();
    const { ctx, home } = testContext({ backend: user, now: '2024-06-01T00:00:00Z', settings });
    const held = await tryRunLock(ctx.paths.state);
    const calls: MediaSession[] = [];
    expect(await runDue(runDueDeps(ctx), { render: recordingRender(user, calls) })).toEqual({ outcome: 'locked' });
    await held!.release();
    expect(calls).toEqual([]);
    expect(records(home).map((r) => r.outcome)).toEqual(['locked']);
  });

  it('no active session: nothing to do, logged', async () => {
    const { ctx, home } = testContext({ backend: user, now: '2024-06-01T00:00:00Z', settings });
    expect(await runDue(runDueDeps(ctx), { render: async () => 'never' })).toEqual({ outcome: 'no-session' });
    expect(records(home).map((r) => r.outcome)).toEqual(['no-session']);
  });

  it('two machines (two contexts, one database) running at once make exactly one slide group', async () => {
    const session = await activeSession();
    const other = localBackend({ db: t.db, userId: user.identity.userId, email: null, storageDir: t.storageDir });
    const calls: MediaSession[] = [];
    const outcomes = await Promise.all([
      runDue(runDueDeps(testContext({ backend: user, now: '2024-06-01T12:00:00Z', settings }).ctx), { render: recordingRender(user, calls) }),
      runDue(runDueDeps(testContext({ backend: other, now: '2024-06-01T12:00:00Z', settings }).ctx), { render: recordingRender(other, calls) }),
    ]);
    // The loser either lost the conditional update or read the winner's row: both mean no group.
    expect(outcomes.map((o) => o.outcome).filter((o) => o === 'rendered')).toHaveLength(1);
    expect(outcomes.map((o) => o.outcome)).toEqual(expect.arrayContaining([expect.stringMatching(/^(taken|not-due)$/)]));
    expect(calls).toHaveLength(1);
    expect(await user.rows.select('slide_groups', { where: { session_id: session.id } })).toHaveLength(1);
    expect((await reread(session.id)).created_per_day).toBe(1);
  });

  it('rotates a log past 1 MB when a run starts', async () => {
    await activeSession();
    const { ctx, home } = testContext({ backend: user, now: '2024-06-01T00:00:00Z', settings });
    const log = scheduleLogPath(ctx.paths.state);
    mkdirSync(ctx.paths.state, { recursive: true });
    writeFileSync(log, `${'x'.repeat(1024 * 1024)}\n`);
    await runDue(runDueDeps(ctx), { render: async () => 'ok' });
    expect(existsSync(`${log}.1`)).toBe(true);
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(records(home).map((r) => r.outcome)).toEqual(['rendered']);
  });
});
