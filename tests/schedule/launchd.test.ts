import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScheduleInstall } from '../../src/commands/schedule/install.js';
import { runScheduleRemove } from '../../src/commands/schedule/remove.js';
import { runScheduleStatus } from '../../src/commands/schedule/status.js';
import type { CommandRunner } from '../../src/services/schedule/runner.js';
import type { Machine } from '../../src/services/schedule/scheduler.js';
import { testContext } from '../helpers/context.js';

let dir: string;
let calls: string[];
let loaded: Set<string>;
let mac: Machine;

/** launchctl as far as the schedule uses it: bootstrap loads, bootout unloads, print says whether loaded. */
const launchctl: CommandRunner = async (command, args) => {
  calls.push([command, ...args].join(' '));
  const [verb, target, path] = args;
  if (verb === 'bootstrap') {
    const label = readFileSync(path!, 'utf8').match(/<key>Label<\/key>\s*<string>([^<]+)</)![1]!;
    loaded.add(`${target}/${label}`);
    return { code: 0, stdout: '', stderr: '' };
  }
  if (verb === 'bootout') return { code: loaded.delete(target!) ? 0 : 3, stdout: '', stderr: 'No such process' };
  if (verb === 'print') return { code: loaded.has(target!) ? 0 : 113, stdout: '', stderr: '' };
  return { code: 64, stdout: '', stderr: 'unknown' };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slides-launchd-'));
  calls = [];
  loaded = new Set();
  mac = { platform: 'darwin', runner: launchctl, home: join(dir, 'Users', 'me'), uid: 501, crontab: 'crontab' };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = (env: NodeJS.ProcessEnv = {}) =>
  testContext({ home: join(dir, 'slides'), env: { PATH: '/opt/homebrew/bin:/usr/bin:/bin', HOME: mac.home, ...env }, io: { json: true } });

describe('slides schedule on macOS (LaunchAgent)', () => {
  it('writes a plist that parses back with the expected keys, and bootstraps it in the GUI domain', async () => {
    const { ctx } = context({ SLIDES_SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.secret-anon' });
    const result = await runScheduleInstall({ every: '15m' }, ctx, mac);
    expect(result.target).toMatch(/Users\/me\/Library\/LaunchAgents\/dev\.slides\.run\.default-[0-9a-f]{8}\.plist$/);
    const text = readFileSync(result.target, 'utf8');
    expect(text).toBe(result.text);
    expect(text).not.toContain('secret-anon');
    const plist = parse(text) as Record<string, unknown>;
    const label = plist.Label as string;
    expect(result.target.endsWith(`${label}.plist`)).toBe(true);
    const logFile = join(dir, 'slides', 'state', 'schedule.log');
    expect(plist).toEqual({
      Label: label,
      ProgramArguments: [process.execPath, expect.stringMatching(/\/bin\/slides\.js$/), 'run', '--due', '--quiet'],
      StartInterval: 900,
      RunAtLoad: true,
      ProcessType: 'Background',
      EnvironmentVariables: {
        PATH: '/opt/homebrew/bin:/usr/bin:/bin',
        SLIDES_HOME: join(dir, 'slides'),
        SLIDES_PROFILE: 'default',
        SLIDES_SUPABASE_URL: 'https://abc.supabase.co',
      },
      StandardOutPath: logFile,
      StandardErrorPath: logFile,
    });
    expect(calls).toEqual([`launchctl bootout gui/501/${label}`, `launchctl bootstrap gui/501 ${result.target}`]);
  });

  it('--dry-run prints the plist and writes nothing', async () => {
    const { ctx, output } = context();
    const result = await runScheduleInstall({ every: '2h', dryRun: true }, ctx, mac);
    expect((parse(JSON.parse(output.stdout).text) as { StartInterval: number }).StartInterval).toBe(7200);
    expect(existsSync(result.target)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('status reports it installed and loaded; remove boots it out and deletes the plist', async () => {
    const installed = await runScheduleInstall({ every: '30m' }, context().ctx, mac);
    const status = await runScheduleStatus({ runs: 5 }, context().ctx, mac);
    expect(status.installed).toMatchObject({ kind: 'launchd', everyMinutes: 30, loaded: true });
    expect(status.upToDate).toBe(true);

    calls = [];
    expect(await runScheduleRemove(context().ctx, mac)).toMatchObject({ kind: 'launchd' });
    expect(existsSync(installed.target)).toBe(false);
    expect(calls.some((c) => c.startsWith('launchctl bootout gui/501/dev.slides.run.'))).toBe(true);
    expect((await runScheduleStatus({ runs: 5 }, context().ctx, mac)).installed).toBeNull();
  });

  it('reinstalling replaces the loaded agent (bootout, then bootstrap)', async () => {
    await runScheduleInstall({ every: '15m' }, context().ctx, mac);
    calls = [];
    const again = await runScheduleInstall({ every: '1h' }, context().ctx, mac);
    expect(again.replaced).toBe(true);
    expect(calls.map((c) => c.split(' ')[1])).toEqual(['print', 'bootout', 'bootstrap']);
    expect((parse(readFileSync(again.target, 'utf8')) as { StartInterval: number }).StartInterval).toBe(3600);
  });
});
