import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import {
  cronLine,
  crontabProgram,
  findCronLine,
  minutesOfCronExpression,
  readCrontab,
  withCronLine,
  withoutCronLine,
  writeCrontab,
} from './cron.js';
import { scheduledRun, scheduleId, type ScheduledRun, type ScheduleSource } from './entry.js';
import {
  isLaunchAgentLoaded,
  launchAgentPath,
  launchAgentPlist,
  launchdLabel,
  loadLaunchAgent,
  minutesOfPlist,
  unloadLaunchAgent,
} from './launchd.js';
import { spawnRunner, type CommandRunner } from './runner.js';

/** The machine the schedule is installed on; tests pass a temp home, a platform and a fake runner. */
export interface Machine {
  platform: NodeJS.Platform;
  runner: CommandRunner;
  home: string;
  uid: number;
  crontab: string;
}

export function thisMachine(env: NodeJS.ProcessEnv): Machine {
  return {
    platform: process.platform,
    runner: spawnRunner,
    home: env.HOME || homedir(),
    uid: process.getuid?.() ?? 0,
    crontab: crontabProgram(env),
  };
}

export type InstalledSchedule =
  | { kind: 'cron'; id: string; everyMinutes: number | null; line: string }
  | { kind: 'launchd'; id: string; everyMinutes: number | null; label: string; path: string; plist: string; loaded: boolean };

export interface InstallResult {
  kind: 'cron' | 'launchd';
  run: ScheduledRun;
  /** The exact crontab line, or the plist. */
  text: string;
  /** Where: the crontab, or the plist's path. */
  target: string;
  replaced: boolean;
  dryRun: boolean;
  warnings: string[];
}

function kindOf(machine: Machine, runArgs: readonly string[]): 'cron' | 'launchd' {
  if (machine.platform === 'darwin') return 'launchd';
  if (machine.platform === 'win32') {
    throw new UsageError('slides schedule does not manage Windows Task Scheduler.', {
      hint: `add a task that runs "slides ${runArgs.join(' ')}" every 15 minutes`,
    });
  }
  return 'cron';
}

export async function installSchedule(
  source: ScheduleSource,
  everyMinutes: number,
  options: { dryRun: boolean },
  machine: Machine,
): Promise<InstallResult> {
  const kind = kindOf(machine, source.runArgs);
  const { run, warnings } = scheduledRun(source, everyMinutes);
  const before = await findSchedule(source, machine);
  if (kind === 'cron') {
    const text = cronLine(run);
    const result = { kind, run, text, target: 'crontab', replaced: before !== null, dryRun: options.dryRun, warnings };
    if (options.dryRun) return result;
    mkdirSync(source.paths.state, { recursive: true, mode: 0o700 });
    const crontab = await readCrontab(machine.runner, machine.crontab);
    await writeCrontab(machine.runner, machine.crontab, withCronLine(crontab, run.id, text));
    return result;
  }
  const label = launchdLabel(run.id);
  const path = launchAgentPath(machine.home, label);
  const text = launchAgentPlist(run, label);
  const result = { kind, run, text, target: path, replaced: before !== null, dryRun: options.dryRun, warnings };
  if (options.dryRun) return result;
  mkdirSync(source.paths.state, { recursive: true, mode: 0o700 });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode: 0o644 });
  await loadLaunchAgent(machine.runner, machine.uid, label, path);
  return result;
}

export type EntrySource = Pick<ScheduleSource, 'env' | 'paths' | 'profile' | 'runArgs'>;

export async function findSchedule(source: EntrySource, machine: Machine): Promise<InstalledSchedule | null> {
  const id = scheduleId(source);
  if (kindOf(machine, source.runArgs) === 'cron') {
    const line = findCronLine(await readCrontab(machine.runner, machine.crontab), id);
    if (line === undefined) return null;
    return { kind: 'cron', id, everyMinutes: minutesOfCronExpression(line.split(/\s+/).slice(0, 5).join(' ')), line };
  }
  const label = launchdLabel(id);
  const path = launchAgentPath(machine.home, label);
  if (!existsSync(path)) return null;
  const plist = readFileSync(path, 'utf8');
  const loaded = await isLaunchAgentLoaded(machine.runner, machine.uid, label);
  return { kind: 'launchd', id, everyMinutes: minutesOfPlist(plist), label, path, plist, loaded };
}

/** Removes this profile's entry; returns what was there (null: nothing to remove). */
export async function removeSchedule(source: EntrySource, machine: Machine): Promise<InstalledSchedule | null> {
  const installed = await findSchedule(source, machine);
  if (!installed) return null;
  if (installed.kind === 'cron') {
    const crontab = await readCrontab(machine.runner, machine.crontab);
    await writeCrontab(machine.runner, machine.crontab, withoutCronLine(crontab, installed.id));
  } else {
    await unloadLaunchAgent(machine.runner, machine.uid, installed.label);
    rmSync(installed.path, { force: true });
  }
  return installed;
}

/** Whether the entry still says what an install would write now (node, CLI, environment, interval). */
export function isCurrent(installed: InstalledSchedule, source: ScheduleSource): boolean {
  return installedRunArgs(installed, source) !== null;
}

/**
 * What the entry runs after node and the CLI, among the commands an install writes now; null
 * when it is none of them (an older install's, or edited by hand).
 */
export function installedRunArgs(installed: InstalledSchedule, source: ScheduleSource): readonly string[] | null {
  const { everyMinutes } = installed;
  if (everyMinutes === null) return null;
  const written = [source.runArgs, ...(source.installableRunArgs ?? [])].find((runArgs) => {
    const { run } = scheduledRun({ ...source, runArgs }, everyMinutes);
    return installed.kind === 'cron' ? installed.line === cronLine(run) : installed.plist === launchAgentPlist(run, installed.label);
  });
  return written ?? null;
}
