import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, isAbsolute } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScheduleInstall } from '../../src/commands/schedule/install.js';
import { runScheduleRemove } from '../../src/commands/schedule/remove.js';
import { UsageError } from '../../src/errors.js';
import {
  cronExpression,
  cronLine,
  minutesOfCronExpression,
  withCronLine,
  withoutCronLine,
} from '../../src/services/schedule/cron.js';
import { EVERY_MINUTES, parseEvery, type ScheduledRun } from '../../src/services/schedule/entry.js';
import { testContext } from '../helpers/context.js';

describe('--every', () => {
  it.each([
    ['5m', 5], ['15m', 15], ['15min', 15], ['30 minutes', 30], ['60m', 60], ['1h', 60], ['2h', 120], ['12h', 720], ['24h', 1440],
  ])('%s is every %i minutes', (raw, minutes) => {
    expect(parseEvery(raw)).toBe(minutes);
  });

  it.each(['4m', '7m', '45m', '90m', '5h', '25h', '48h', '1d', '15', 'soon', ''])('%s is refused with a usage error listing what works', (raw) => {
    expect(() => parseEvery(raw)).toThrow(UsageError);
    try {
      parseEvery(raw);
    } catch (error) {
      expect((error as UsageError).hint).toContain('15m');
    }
  });
});

describe('cron expressions', () => {
  it.each([
    [5, '*/5 * * * *'], [15, '*/15 * * * *'], [30, '*/30 * * * *'], [60, '0 * * * *'], [120, '0 */2 * * *'], [720, '0 */12 * * *'], [1440, '0 0 * * *'],
  ])('every %i min is "%s"', (minutes, expression) => {
    expect(cronExpression(minutes)).toBe(expression);
  });

  it('every accepted interval reads back from its expression', () => {
    for (const minutes of EVERY_MINUTES) expect(minutesOfCronExpression(cronExpression(minutes))).toBe(minutes);
    expect(minutesOfCronExpression('0 9 * * 1')).toBeNull();
  });
});

const run = (over: Partial<ScheduledRun> = {}): ScheduledRun => ({
  id: 'default',
  everyMinutes: 15,
  argv: ['/usr/bin/node', '/opt/slides/bin/slides.js', 'run', '--due', '--quiet'],
  env: { PATH: '/usr/bin:/bin', SLIDES_PROFILE: 'default' },
  logFile: '/home/me/.local/state/slides/schedule.log',
  ...over,
});

describe('the crontab line', () => {
  it('is the interval, the environment, absolute node and CLI, output appended to the log, and the tag', () => {
    expect(cronLine(run())).toBe(
      '*/15 * * * * PATH=/usr/bin:/bin SLIDES_PROFILE=default /usr/bin/node /opt/slides/bin/slides.js run --due --quiet' +
        ' >> /home/me/.local/state/slides/schedule.log 2>&1 # slides-schedule:default',
    );
  });

  it('quotes for sh and escapes % for cron', () => {
    const line = cronLine(run({ env: { SLIDES_HOME: "/data/it's 100%" }, logFile: '/data/a b/schedule.log' }));
    expect(line).toContain(`SLIDES_HOME='/data/it'"'"'s 100\\%'`);
    expect(line).toContain(`>> '/data/a b/schedule.log' 2>&1`);
  });

  it('refuses a value a crontab line cannot carry', () => {
    expect(() => cronLine(run({ env: { SLIDES_HOME: 'a\nb' } }))).toThrow(UsageError);
    expect(() => cronLine(run({ env: { SLIDES_HOME: 'C:\\slides' } }))).toThrow(UsageError);
  });

  const others = '# m h dom mon dow command\nMAILTO=me@example.com\n0 3 * * * /usr/bin/backup  --all   # nightly\n\n@reboot echo hi\n';

  it('is appended, every other line kept byte for byte', () => {
    const next = withCronLine(others, 'default', 'LINE # slides-schedule:default');
    expect(next).toBe(`${others}LINE # slides-schedule:default\n`);
    expect(withoutCronLine(next, 'default')).toBe(others);
  });

  it('replaces itself in place, and duplicates collapse to one', () => {
    const installed = `A\nOLD1 # slides-schedule:default\nB\nOLD2 # slides-schedule:default\nC # slides-schedule:alice\n`;
    expect(withCronLine(installed, 'default', 'NEW # slides-schedule:default')).toBe(
      'A\nNEW # slides-schedule:default\nB\nC # slides-schedule:alice\n',
    );
  });

  it("leaves other profiles' lines alone", () => {
    const both = 'X # slides-schedule:alice\nY # slides-schedule:default\n';
    expect(withoutCronLine(both, 'default')).toBe('X # slides-schedule:alice\n');
    expect(withoutCronLine(both, 'ali')).toBe(both);
  });

  it('a crontab without a final newline gets one before the new line', () => {
    expect(withCronLine('0 1 * * * a', 'p', 'L # slides-schedule:p')).toBe('0 1 * * * a\nL # slides-schedule:p\n');
    expect(withCronLine('', 'p', 'L # slides-schedule:p')).toBe('L # slides-schedule:p\n');
  });
});

describe('slides schedule install / remove on Linux, through a crontab program on a temp file', () => {
  let dir: string;
  let crontabFile: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slides-cron-'));
    crontabFile = join(dir, 'crontab');
    const program = join(dir, 'fake-crontab');
    // Behaves like crontab(1): -l prints the table or fails with "no crontab", - replaces it from stdin.
    writeFileSync(
      program,
      [
        '#!/bin/sh',
        `f='${crontabFile}'`,
        'case "$1" in',
        '  -l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab for $(id -un)" >&2; exit 1; fi ;;',
        '  -) cat > "$f" ;;',
        '  *) echo "usage" >&2; exit 2 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(program, 0o755);
    env = { SLIDES_CRONTAB: program, PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const context = (over: Parameters<typeof testContext>[0] = {}) =>
    testContext({ home: join(dir, 'home'), env, io: { json: true }, ...over });

  it('installs one tagged line with absolute paths, the environment and no secrets', async () => {
    const others = 'MAILTO=""\n*/5 * * * * /usr/bin/true\n';
    writeFileSync(crontabFile, others);
    const { ctx, output } = context({
      env: { ...env, SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.secret-anon-key' },
    });
    const result = await runScheduleInstall({ every: '15m' }, ctx, undefined);
    const crontab = readFileSync(crontabFile, 'utf8');
    expect(crontab.startsWith(others)).toBe(true);
    const lines = crontab.slice(others.length).split('\n').filter(Boolean);
    expect(lines).toEqual([result.text]);
    const line = lines[0]!;
    expect(line).toMatch(/^\*\/15 \* \* \* \* /);
    const [node, cli] = result.run.argv;
    expect(isAbsolute(node!) && existsSync(node!)).toBe(true);
    expect(isAbsolute(cli!) && cli!.endsWith(join('bin', 'slides.js')) && existsSync(cli!)).toBe(true);
    expect(line).toContain(`${node} ${cli} run --due --quiet >> ${join(dir, 'home', 'state', 'schedule.log')} 2>&1`);
    expect(line).toContain(`SLIDES_HOME=${join(dir, 'home')}`);
    expect(line).toContain('SLIDES_PROFILE=default');
    expect(line).toContain('SUPABASE_URL=https://abc.supabase.co');
    expect(line).toContain('PATH=/usr/local/bin:/usr/bin:/bin');
    expect(line).not.toContain('secret-anon-key');
    expect(line).not.toContain('ANON_KEY');
    expect(result.warnings).toEqual([expect.stringContaining('supabase.anonKey comes from SUPABASE_ANON_KEY')]);
    expect(JSON.parse(output.stdout)).toMatchObject({ kind: 'cron', dryRun: false, every: '15m', text: line });
  });

  it('installing twice leaves one line; a new --every replaces it', async () => {
    await runScheduleInstall({ every: '15m' }, context().ctx);
    const second = await runScheduleInstall({ every: '15m' }, context().ctx);
    expect(second.replaced).toBe(true);
    await runScheduleInstall({ every: '1h' }, context().ctx);
    const lines = readFileSync(crontabFile, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^0 \* \* \* \* /);
  });

  it('--dry-run prints the exact line and changes nothing', async () => {
    const { ctx, output } = context({ io: { json: false } });
    const result = await runScheduleInstall({ every: '30m', dryRun: true }, ctx);
    expect(output.stdout).toBe(`${result.text}\n`);
    expect(result.text).toMatch(/^\*\/30 \* \* \* \* .* # slides-schedule:default-[0-9a-f]{8}$/);
    expect(existsSync(crontabFile)).toBe(false);
  });

  it('remove takes out only its line, byte for byte', async () => {
    const others = '# keep me\n0 3 * * * /usr/bin/backup\t--all\n\n';
    writeFileSync(crontabFile, others);
    await runScheduleInstall({ every: '15m' }, context().ctx);
    const { ctx, output } = context();
    expect(await runScheduleRemove(ctx)).toMatchObject({ kind: 'cron' });
    expect(readFileSync(crontabFile, 'utf8')).toBe(others);
    expect(JSON.parse(output.stdout)).toEqual({ removed: true, kind: 'cron', target: 'crontab' });
    expect(await runScheduleRemove(context().ctx)).toBeNull();
  });

  it('profiles and data folders get separate lines', async () => {
    await runScheduleInstall({ every: '15m' }, context().ctx);
    await runScheduleInstall({ every: '1h' }, context({ home: join(dir, 'other-home') }).ctx);
    expect(readFileSync(crontabFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('an --every cron cannot express is a usage error, before touching the crontab', async () => {
    await expect(runScheduleInstall({ every: '7m' }, context().ctx)).rejects.toThrow(UsageError);
    expect(existsSync(crontabFile)).toBe(false);
  });
});
