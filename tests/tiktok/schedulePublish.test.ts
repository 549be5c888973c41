import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScheduleInstall } from '../../src/commands/schedule/install.js';
import { runScheduleStatus } from '../../src/commands/schedule/status.js';
import type { Backend } from '../../src/db/backend.js';
import { exitCodeOf } from '../../src/errors.js';
import type { CommandRunner } from '../../src/services/schedule/runner.js';
import type { Machine } from '../../src/services/schedule/scheduler.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;
let dir: string;
let table: string | null;
let linux: Machine;
let mac: Machine;

/** crontab(1) over a string; launchctl answers yes. */
const runner: CommandRunner = async (command, args, input) => {
  if (command !== 'crontab') return { code: 0, stdout: '', stderr: '' };
  if (args[0] === '-l') return table === null ? { code: 1, stdout: '', stderr: 'no crontab for me' } : { code: 0, stdout: table, stderr: '' };
  table = input ?? '';
  return { code: 0, stdout: '', stderr: '' };
};

const SECRETS = {
  SLIDES_TIKTOK_CLIENT_SECRET: 'tiktok-client-secret-9f8e7d',
  SLIDES_TIKTOK_TOKEN_KEY: Buffer.alloc(32, 7).toString('base64'),
  SLIDES_SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.anon-key-5a4b3c-secret-part-long-enough-for-a-key.x',
  SUPABASE_DB_URL: 'postgres://u:db-password-1q2w@db.example.com/postgres',
};

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
  dir = mkdtempSync(join(tmpdir(), 'slides-schedule-publish-'));
  table = null;
  linux = { platform: 'linux', runner, home: dir, uid: 1000, crontab: 'crontab' };
  mac = { platform: 'darwin', runner, home: dir, uid: 501, crontab: 'crontab' };
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const context = () =>
  testContext({
    home: join(dir, 'slides'),
    backend: user,
    now: '2024-06-01T09:30:00Z',
    settings: { timezone: 'UTC' },
    env: { PATH: '/usr/bin:/bin', HOME: dir, ...SECRETS },
    io: { json: true },
  });

const refusal = (p: Promise<unknown>) => p.then(() => expect.unreachable('installed'), (e: unknown) => e as Error);

describe('slides schedule install --publish', () => {
  it.each([
    [{ publish: true as const }, ['run', '--due', '--quiet', '--publish']],
    [{ publish: 'draft' as const }, ['run', '--due', '--quiet', '--publish', 'draft']],
    [{ publish: 'direct' as const, privacy: 'SELF_ONLY' as const, yes: true }, ['run', '--due', '--quiet', '--publish', 'direct', '--privacy', 'SELF_ONLY', '--yes']],
    [{ publish: 'direct' as const, yes: true }, ['run', '--due', '--quiet', '--publish', 'direct', '--yes']],
  ])('%o: the crontab runs slides with those flags, no secret in it, and status calls it up to date', async (flags, args) => {
    const result = await runScheduleInstall({ every: '15m', ...flags }, context().ctx, linux);
    expect(result.run.argv.slice(2)).toEqual(args);
    expect(table).toContain(`/slides.js ${args.join(' ')} >> `);
    for (const secret of Object.values(SECRETS)) expect(table).not.toContain(secret);
    expect(table).not.toContain('db-password');
    const { ctx } = context();
    const status = await runScheduleStatus({ runs: 5 }, ctx, linux);
    expect(status.upToDate).toBe(true);
  });

  it('the LaunchAgent plist carries the same flags, and no secret', async () => {
    const result = await runScheduleInstall({ every: '1h', publish: 'direct', privacy: 'FOLLOWER_OF_CREATOR', yes: true }, context().ctx, mac);
    expect(result.text.replace(/\s+/g, ' ')).toContain('<string>--quiet</string> <string>--publish</string> <string>direct</string> <string>--privacy</string> <string>FOLLOWER_OF_CREATOR</string> <string>--yes</string>');
    expect(result.text).toContain('<string>FOLLOWER_OF_CREATOR</string>');
    for (const secret of Object.values(SECRETS)) expect(result.text).not.toContain(secret);
    expect((await runScheduleStatus({ runs: 5 }, context().ctx, mac)).upToDate).toBe(true);
  });

  it('installing with --publish replaces the entry; an entry whose flags no install writes is out of date', async () => {
    await runScheduleInstall({ every: '15m' }, context().ctx, linux);
    const replaced = await runScheduleInstall({ every: '15m', publish: 'draft' }, context().ctx, linux);
    expect(replaced.replaced).toBe(true);
    expect(table?.trim().split('\n')).toHaveLength(1);
    table = (table ?? '').replace('--publish draft', '--publish sideways');
    expect((await runScheduleStatus({ runs: 5 }, context().ctx, linux)).upToDate).toBe(false);
  });

  it.each([
    [{ publish: 'direct' as const, privacy: 'SELF_ONLY' as const }, /a scheduled direct post cannot ask for consent/, 'pass --yes to agree for every post the schedule makes, or schedule drafts (--publish draft)'],
    [{ publish: 'draft' as const, privacy: 'SELF_ONLY' as const }, /^--privacy is for --publish direct/, 'leave --privacy out'],
    [{ privacy: 'SELF_ONLY' as const }, /^--privacy is for --publish direct/, 'add --publish direct, or leave it out'],
    [{ yes: true }, /^--yes is for --publish direct/, 'add --publish direct, or leave it out'],
  ])('%o is refused (exit 2) and installs nothing', async (flags, message, hint) => {
    const error = await refusal(runScheduleInstall({ every: '15m', ...flags }, context().ctx, linux));
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(message);
    expect((error as { hint?: string }).hint).toBe(hint);
    expect(table).toBeNull();
  });
});
