import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { parse } from 'plist';
import { afterAll, describe, expect, it } from 'vitest';
import { buildContext } from '../../src/cli.js';
import { runScheduleInstall } from '../../src/commands/schedule/install.js';
import { scheduleSource } from '../../src/commands/schedule/source.js';
import type { Context } from '../../src/context.js';
import { SlidesError, UsageError } from '../../src/errors.js';
import { cronLine, cronTag, findCronLine, minutesOfCronExpression, withCronLine } from '../../src/services/schedule/cron.js';
import { launchAgentPath, launchdLabel } from '../../src/services/schedule/launchd.js';
import { scheduledRun } from '../../src/services/schedule/entry.js';
import type { Machine } from '../../src/services/schedule/scheduler.js';

const dir = mkdtempSync(join(tmpdir(), 'slides-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const home = join(dir, 'home');
const mac: Machine = { platform: 'darwin', runner: async () => ({ code: 0, stdout: '', stderr: '' }), home, uid: 501, crontab: 'crontab' };
const linux: Machine = { ...mac, platform: 'linux', runner: async () => ({ code: 1, stdout: '', stderr: 'no crontab' }) };

/** The context `slides` builds for SLIDES_PROFILE=name (or --profile name), or the usage error it refuses with. */
function contextFor(name: string, via: 'flag' | 'env'): Context | UsageError {
  const env = { HOME: home, SLIDES_HOME: join(dir, 'slides'), PATH: '/usr/bin:/bin', ...(via === 'env' ? { SLIDES_PROFILE: name } : {}) };
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  try {
    return buildContext(via === 'flag' ? { profile: name } : {}, { argv: [], env, stdout: stream, stderr: stream, stdinIsTTY: false }).ctx;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

/** What cron hands to sh: the line without its 5 time fields, `\%` back to `%`. */
const commandOf = (line: string) => line.split(' ').slice(5).join(' ').replace(/\\%/g, '%');

const hostile = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '0', '-', '_', '.', '/', '\n', '\r', ' ', '#', '%', "'", '"', '\\', '$', '`', ';', '*'),
  maxLength: 12,
});
const names = fc.oneof(hostile, fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,62}$/), fc.constantFrom('..', '../x', 'a\nb', 'a/../../..', '.', ''));

describe('a profile name cannot reach the crontab tag or the LaunchAgent label unchecked', () => {
  it('every name is refused by the rule, or gives a crontab line that sh parses and that reads back', async () => {
    await fc.assert(
      fc.asyncProperty(names, fc.constantFrom('flag' as const, 'env' as const), async (name, via) => {
        const ctx = contextFor(name, via);
        if (ctx instanceof UsageError) {
          expect(/^[a-z0-9][a-z0-9_-]{0,62}$/.test(name)).toBe(false);
          expect(ctx.hint).toContain('^[a-z0-9][a-z0-9_-]{0,62}$');
          return;
        }
        // An empty SLIDES_PROFILE is an unset one, as for any variable.
        expect(ctx.profile).toBe(via === 'env' && name === '' ? 'default' : name);
        const { text: line, run } = await runScheduleInstall({ every: '15m', dryRun: true }, ctx, linux);
        expect(line).not.toMatch(/[\r\n]/);
        const syntax = spawnSync('sh', ['-n'], { input: commandOf(line), encoding: 'utf8' });
        expect(syntax.status, syntax.stderr).toBe(0);
        expect(run.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
        expect(line.endsWith(` ${cronTag(run.id)}`)).toBe(true);
        expect(minutesOfCronExpression(line.split(' ').slice(0, 5).join(' '))).toBe(15);
        expect(findCronLine(withCronLine('MAILTO=""\n0 3 * * * /usr/bin/backup # nightly\n', run.id, line), run.id)).toBe(line);
      }),
      { numRuns: 150 },
    );
  });

  it('every name is refused by the rule, or gives a LaunchAgent whose file sits directly in ~/Library/LaunchAgents', async () => {
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const ctx = contextFor(name, 'env');
        if (ctx instanceof UsageError) return;
        const result = await runScheduleInstall({ every: '15m', dryRun: true }, ctx, mac);
        const label = (parse(result.text) as { Label: string }).Label;
        expect(label).toMatch(/^dev\.slides\.run\.[a-z0-9][a-z0-9_-]*$/);
        expect(dirname(result.target)).toBe(join(home, 'Library', 'LaunchAgents'));
        expect(basename(result.target)).toBe(`${label}.plist`);
      }),
      { numRuns: 150 },
    );
  });

  it('whatever id reaches them, the crontab tag is one line of the rule and the plist sits directly in ~/Library/LaunchAgents, or both refuse', () => {
    const ctx = contextFor('default', 'flag');
    if (ctx instanceof UsageError) throw ctx;
    const { run } = scheduledRun(scheduleSource(ctx), 15);
    fc.assert(
      fc.property(names, (id) => {
        const accepted = /^[a-z0-9][a-z0-9_-]*$/.test(id);
        const tag = () => cronTag(id);
        const plist = () => launchAgentPath(home, launchdLabel(id));
        if (!accepted) {
          expect(tag).toThrow(SlidesError);
          expect(plist).toThrow(SlidesError);
          expect(() => cronLine({ ...run, id })).toThrow(SlidesError);
          return;
        }
        expect(tag()).toBe(`# slides-schedule:${id}`);
        expect(dirname(plist())).toBe(join(home, 'Library', 'LaunchAgents'));
        expect(basename(plist())).toBe(`dev.slides.run.${id}.plist`);
        const line = cronLine({ ...run, id });
        expect(spawnSync('sh', ['-n'], { input: commandOf(line), encoding: 'utf8' }).status).toBe(0);
        expect(findCronLine(withCronLine('', id, line), id)).toBe(line);
      }),
      { numRuns: 300 },
    );
  });

  it('the crontab line, run by sh as cron runs it, starts the CLI with the profile and its arguments intact', () => {
    for (const name of ['default', 'alice', 'a-b_c', '0'.repeat(63)]) {
      const ctx = contextFor(name, 'flag');
      if (ctx instanceof UsageError) throw ctx;
      const cli = join(dir, 'echo-cli.js');
      writeFileSync(cli, 'console.log(JSON.stringify({ profile: process.env.SLIDES_PROFILE, argv: process.argv.slice(2) }));\n');
      const { run } = scheduledRun(scheduleSource(ctx), 15, { cli });
      mkdirSync(dirname(run.logFile), { recursive: true });
      rmSync(run.logFile, { force: true });
      const ran = spawnSync('sh', ['-c', commandOf(cronLine(run))], { env: {}, encoding: 'utf8' });
      expect(ran.status, ran.stderr).toBe(0);
      expect(JSON.parse(readFileSync(run.logFile, 'utf8'))).toEqual({ profile: name, argv: ['run', '--due', '--quiet'] });
    }
  });
});
