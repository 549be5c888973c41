import { join } from 'node:path';
import { build, parse } from 'plist';
import { SlidesError } from '../../errors.js';
import { scheduleEntryId, type ScheduledRun } from './entry.js';
import type { CommandRunner } from './runner.js';

export function launchdLabel(id: string): string {
  return `dev.slides.run.${scheduleEntryId(id)}`;
}

export function launchAgentPath(home: string, label: string): string {
  return join(home, 'Library', 'LaunchAgents', `${label}.plist`);
}

/** The LaunchAgent: runs at load (login, install) and every interval; launchd appends its output to the log. */
export function launchAgentPlist(run: ScheduledRun, label: string): string {
  return build({
    Label: label,
    ProgramArguments: run.argv,
    StartInterval: run.everyMinutes * 60,
    RunAtLoad: true,
    ProcessType: 'Background',
    EnvironmentVariables: run.env,
    StandardOutPath: run.logFile,
    StandardErrorPath: run.logFile,
  });
}

export function minutesOfPlist(text: string): number | null {
  try {
    const interval = (parse(text) as { StartInterval?: unknown }).StartInterval;
    return typeof interval === 'number' ? interval / 60 : null;
  } catch {
    return null;
  }
}

const domain = (uid: number) => `gui/${uid}`;

/** (Re)loads the agent in the user's GUI session: a loaded copy is booted out first, or bootstrap refuses. */
export async function loadLaunchAgent(runner: CommandRunner, uid: number, label: string, path: string): Promise<void> {
  await runner('launchctl', ['bootout', `${domain(uid)}/${label}`]);
  const result = await runner('launchctl', ['bootstrap', domain(uid), path]);
  if (result.code !== 0) {
    throw new SlidesError(`launchctl bootstrap ${domain(uid)} ${path} failed: ${result.stderr.trim() || `exit ${result.code}`}`, {
      hint: 'run it from a logged-in session (not over ssh without a GUI login)',
    });
  }
}

export async function unloadLaunchAgent(runner: CommandRunner, uid: number, label: string): Promise<void> {
  await runner('launchctl', ['bootout', `${domain(uid)}/${label}`]);
}

export async function isLaunchAgentLoaded(runner: CommandRunner, uid: number, label: string): Promise<boolean> {
  return (await runner('launchctl', ['print', `${domain(uid)}/${label}`])).code === 0;
}
