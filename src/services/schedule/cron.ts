import { SlidesError, UsageError } from '../../errors.js';
import { shellQuote } from '../../shellQuote.js';
import { scheduleEntryId, type ScheduledRun } from './entry.js';
import type { CommandRunner } from './runner.js';

/** The 5 cron fields that fire every `minutes`, aligned on the hour and on midnight like the slots. */
export function cronExpression(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  if (minutes === 60) return '0 * * * *';
  if (minutes === 1440) return '0 0 * * *';
  return `0 */${minutes / 60} * * *`;
}

export function minutesOfCronExpression(expression: string): number | null {
  const fields = expression.trim().split(/\s+/);
  const [minute, hour, ...rest] = fields;
  if (fields.length !== 5 || rest.join(' ') !== '* * *') return null;
  const everyMinute = /^\*\/(\d+)$/.exec(minute ?? '');
  if (everyMinute && hour === '*') return Number(everyMinute[1]);
  if (minute !== '0') return null;
  if (hour === '*') return 60;
  if (hour === '0') return 1440;
  const everyHour = /^\*\/(\d+)$/.exec(hour ?? '');
  return everyHour ? Number(everyHour[1]) * 60 : null;
}

export function cronTag(id: string): string {
  return `# slides-schedule:${scheduleEntryId(id)}`;
}

/**
 * One crontab line: environment, absolute node and CLI, output appended to the log, tagged so it
 * can be found again. cron turns an unescaped `%` into a newline, so each one is escaped.
 */
export function cronLine(run: ScheduledRun): string {
  const words = [...Object.entries(run.env).map(([k, v]) => `${k}=${shellQuote(v)}`), ...run.argv.map(shellQuote)];
  const command = `${words.join(' ')} >> ${shellQuote(run.logFile)} 2>&1`;
  // cron implementations differ on backslashes, and a line cannot hold a line break.
  if (/[\r\n\\]/.test(command)) {
    throw new UsageError('a path or setting of the schedule contains a line break or a backslash, which a crontab line cannot carry safely.', {
      hint: 'use paths without them (SLIDES_HOME, PATH, node)',
    });
  }
  return `${cronExpression(run.everyMinutes)} ${command.replace(/%/g, '\\%')} ${cronTag(run.id)}`;
}

const isTagged = (id: string) => (line: string) => line.endsWith(` ${cronTag(id)}`);

export function findCronLine(crontab: string, id: string): string | undefined {
  return crontab.split('\n').find(isTagged(id));
}

/** The crontab with `line` in place of this id's line (or appended); every other line kept byte for byte. */
export function withCronLine(crontab: string, id: string, line: string): string {
  if (findCronLine(crontab, id) === undefined) {
    const body = crontab === '' || crontab.endsWith('\n') ? crontab : `${crontab}\n`;
    return `${body}${line}\n`;
  }
  let placed = false;
  const lines: string[] = [];
  for (const existing of crontab.split('\n')) {
    if (!isTagged(id)(existing)) lines.push(existing);
    else if (!placed) {
      lines.push(line);
      placed = true;
    }
  }
  return lines.join('\n');
}

export function withoutCronLine(crontab: string, id: string): string {
  return crontab
    .split('\n')
    .filter((line) => !isTagged(id)(line))
    .join('\n');
}

/** `crontab`, or the program SLIDES_CRONTAB names (another user's wrapper, a test double). */
export function crontabProgram(env: NodeJS.ProcessEnv): string {
  return env.SLIDES_CRONTAB || 'crontab';
}

export async function readCrontab(runner: CommandRunner, program: string): Promise<string> {
  const result = await runner(program, ['-l']);
  if (result.code === 0) return result.stdout;
  if (/no crontab/i.test(result.stderr)) return '';
  throw new SlidesError(`${program} -l failed: ${result.stderr.trim() || `exit ${result.code}`}`);
}

export async function writeCrontab(runner: CommandRunner, program: string, crontab: string): Promise<void> {
  const result = await runner(program, ['-'], crontab);
  if (result.code !== 0) {
    throw new SlidesError(`${program} refused the new crontab: ${result.stderr.trim() || `exit ${result.code}`}`);
  }
}
