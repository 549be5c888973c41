import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScheduleInstall } from '../../src/commands/schedule/install.js';
import { runScheduleStatus } from '../../src/commands/schedule/status.js';
import type { Backend } from '../../src/db/backend.js';
import type { MediaSession } from '../../src/db/types.js';
import { appendRunRecord, scheduleLogPath } from '../../src/services/schedule/log.js';
import type { CommandRunner } from '../../src/services/schedule/runner.js';
import type { Machine } from '../../src/services/schedule/scheduler.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;
let dir: string;
let table: string | null;
let linux: Machine;

/** crontab(1) over a string. */
const crontab: CommandRunner = async (_command, args, input) => {
  if (args[0] === '-l') return table === null ? { code: 1, stdout: '', stderr: 'no crontab for me' } : { code: 0, stdout: table, stderr: '' };
  table = input ?? '';
  return { code: 0, stdout: '', stderr: '' };
};

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
  dir = mkdtempSync(join(tmpdir(), 'slides-status-'));
  table = null;
  linux = { platform: 'linux', runner: crontab, home: dir, uid: 1000, crontab: 'crontab' };
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const context = (o: { backend?: Backend; json?: boolean; env?: NodeJS.ProcessEnv } = {}) =>
  testContext({
    home: join(dir, 'slides'),
    backend: o.backend,
    now: '2024-06-01T09:30:00Z',
    settings: { timezone: 'Europe/Paris' },
    env: { PATH: '/usr/bin:/bin', HOME: dir, ...o.env },
    io: { json: o.json ?? true },
  });

async function activeSession(): Promise<MediaSession> {
  const created = await user.rows.rpc<MediaSession>('slides_create_session', {
    p_frequency: 4, p_max_per_day: null, p_per_group: null, p_items: [], p_replace_active: true,
  });
  const [row] = await user.rows.update('media_sessions', { last_run_at: '2024-06-01T04:00:00Z', created_per_day: 2 }, { id: created.id });
  return row!;
}

describe('slides schedule status', () => {
  it('installed, interval, the last runs from the log and the next due time of the active session', async () => {
    const session = await activeSession();
    await runScheduleInstall({ every: '15m' }, context().ctx, linux);
    const log = scheduleLogPath(join(dir, 'slides', 'state'));
    appendRunRecord(log, { at: new Date('2024-06-01T09:00:00Z'), outcome: 'not-due', detail: 'session=x waiting-for-slot' });
    appendRunRecord(log, { at: new Date('2024-06-01T09:15:00Z'), outcome: 'rendered', detail: 'session=x group=3' });
    const { ctx, output } = context({ backend: user });
    await runScheduleStatus({ runs: 1 }, ctx, linux);
    // Paris is UTC+2: 11:30 local, 2 groups made, the third slot opens at 12:00 local = 10:00 UTC.
    expect(JSON.parse(output.stdout)).toEqual({
      profile: 'default',
      installed: true,
      kind: 'cron',
      every: '15m',
      everyMinutes: 15,
      target: 'crontab',
      loaded: null,
      upToDate: true,
      logFile: log,
      lastRuns: [{ at: '2024-06-01T09:15:00.000Z', outcome: 'rendered', detail: 'session=x group=3' }],
      next: {
        reachable: true,
        timeZone: 'Europe/Paris',
        sessionId: session.id,
        due: false,
        reason: 'waiting-for-slot',
        nextDueAt: '2024-06-01T10:00:00.000Z',
        createdToday: 2,
        backoff: null,
      },
    });
  });

  it('prints the next due time on the creator’s wall clock', async () => {
    await activeSession();
    const { ctx, output } = context({ backend: user, json: false });
    await runScheduleStatus({ runs: 5 }, ctx, linux);
    expect(output.stdout).toContain('Schedule of profile default: not installed');
    expect(output.stdout).toContain('Last runs: none yet');
    expect(output.stdout).toMatch(/Next group: 2024-06-01 12:00 \(Europe\/Paris\) \(session [0-9a-f]{8}, 2 made today\)/);
  });

  it('says so when the backend cannot be reached, instead of failing', async () => {
    const { ctx, output } = context({ json: false });
    const status = await runScheduleStatus({ runs: 5 }, ctx, linux);
    expect(status.next).toEqual({ reachable: false, error: 'this test context has no backend' });
    expect(output.stdout).toContain('Next group: unknown, the backend is unreachable: this test context has no backend');
  });

  it('an entry written for another PATH or node is reported out of date', async () => {
    await runScheduleInstall({ every: '15m' }, context({ env: { PATH: '/old/bin' } }).ctx, linux);
    const { ctx, output } = context({ json: false });
    expect((await runScheduleStatus({ runs: 5 }, ctx, linux)).upToDate).toBe(false);
    expect(output.stdout).toContain('out of date');
  });
});
