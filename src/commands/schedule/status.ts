import type { Register } from '../../cli/command.js';
import { positiveInt } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { Machine } from '../../services/schedule/scheduler.js';
import type { NextDue, ScheduleStatus } from '../../services/schedule/status.js';

export const register: Register = (parent, run) => {
  parent
    .command('status')
    .description('is the schedule installed, how often, what the last runs did, and when the next group is due')
    .option('--runs <n>', 'how many of the last runs to show', positiveInt, 5)
    .action(
      run(async (ctx, flags: { runs: number }) => {
        await runScheduleStatus(flags, ctx);
      }),
    );
};

export async function runScheduleStatus(
  o: { runs: number },
  ctx: Pick<Context, 'io' | 'env' | 'paths' | 'profile' | 'config' | 'backend' | 'clock'>,
  machine?: Machine,
): Promise<ScheduleStatus> {
  const { scheduleStatus } = await import('../../services/schedule/status.js');
  const { thisMachine } = await import('../../services/schedule/scheduler.js');
  const { formatEvery } = await import('../../services/schedule/entry.js');
  const { wallClockWithZone } = await import('../../services/schedule/wallClock.js');
  const { scheduleSource } = await import('./source.js');
  const due = { rows: async () => (await ctx.backend()).rows, now: ctx.clock.now(), timeZone: ctx.config.timeZone() };
  const status = await scheduleStatus(scheduleSource(ctx), due, machine ?? thisMachine(ctx.env), o);
  const { installed, next } = status;
  const every = installed?.everyMinutes == null ? null : formatEvery(installed.everyMinutes);
  const { io } = ctx;
  if (io.json) {
    io.printJson({
      profile: ctx.profile,
      installed: installed !== null,
      kind: installed?.kind ?? null,
      every,
      everyMinutes: installed?.everyMinutes ?? null,
      target: installed === null ? null : installed.kind === 'cron' ? 'crontab' : installed.path,
      loaded: installed?.kind === 'launchd' ? installed.loaded : null,
      upToDate: status.upToDate,
      logFile: status.logFile,
      lastRuns: status.lastRuns.map((r) => ({ at: r.at.toISOString(), outcome: r.outcome, detail: r.detail })),
      next: next.reachable
        ? {
            reachable: true,
            timeZone: next.timeZone,
            sessionId: next.sessionId,
            due: next.schedule?.due ?? false,
            reason: next.schedule?.reason ?? 'no-active-session',
            nextDueAt: next.schedule?.nextDueAt?.toISOString() ?? null,
            createdToday: next.schedule?.createdToday ?? null,
            backoff: next.schedule?.backoff
              ? { failures: next.schedule.backoff.failures, until: next.schedule.backoff.until.toISOString() }
              : null,
          }
        : next,
    });
    return status;
  }
  if (installed === null) {
    io.out(`Schedule of profile ${ctx.profile}: not installed ${io.style.dim('(slides schedule install)')}`);
  } else {
    const where = installed.kind === 'cron' ? 'crontab' : installed.path;
    io.out(`Schedule of profile ${ctx.profile}: installed, every ${every ?? '(unrecognised interval)'} (${where})`);
    if (installed.kind === 'launchd' && !installed.loaded) io.out(io.style.yellow('  not loaded in launchd: run slides schedule install again'));
    if (!status.upToDate) {
      io.out(io.style.yellow('  out of date (node, the CLI or settings moved): run slides schedule install again'));
    }
  }
  io.out(`  log  ${status.logFile}`);
  const zone = next.reachable ? next.timeZone : undefined;
  if (status.lastRuns.length === 0) io.out('Last runs: none yet');
  else {
    io.out('Last runs:');
    for (const r of status.lastRuns) {
      const when = zone ? wallClockWithZone(r.at, zone) : r.at.toISOString();
      io.out(`  ${when}  ${r.outcome}${r.detail ? `  ${io.style.dim(r.detail)}` : ''}`);
    }
  }
  io.out(`Next group: ${describeNext(next, wallClockWithZone)}`);
  return status;
}

function describeNext(next: NextDue, wallClockWithZone: (at: Date, zone: string) => string): string {
  if (!next.reachable) return `unknown, the backend is unreachable: ${next.error}`;
  const s = next.schedule;
  if (next.sessionId === null || s === null) return 'none, no session is active (slides session new)';
  const session = next.sessionId.slice(0, 8);
  if (s.reason === 'no-frequency') return `none, session ${session} has no frequency (slides session edit)`;
  if (s.due) return `due now (session ${session}); the next run makes it`;
  if (s.backoff) {
    return `${wallClockWithZone(s.backoff.until, next.timeZone)} (session ${session}: backing off after ${s.backoff.failures} failed renders in a row)`;
  }
  return `${wallClockWithZone(s.nextDueAt as Date, next.timeZone)} (session ${session}, ${s.createdToday} made today)`;
}
