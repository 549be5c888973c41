import type { Context } from '../../context.js';
import { messageOf } from '../../errors.js';
import type { ScheduleSource } from './entry.js';
import { readRunRecords, scheduleLogPath, type RunRecord } from './log.js';
import { scheduleOf, type DueState } from './claim.js';
import { activeSession } from '../sessions/load.js';
import { findSchedule, isCurrent, type InstalledSchedule, type Machine } from './scheduler.js';

export type NextDue =
  | { reachable: true; timeZone: string; sessionId: string | null; schedule: DueState | null }
  | { reachable: false; error: string };

export interface ScheduleStatus {
  installed: InstalledSchedule | null;
  /** Whether the entry matches what an install would write now; null when nothing is installed. */
  upToDate: boolean | null;
  logFile: string;
  lastRuns: RunRecord[];
  next: NextDue;
}

/** When the active session is next due; an unreachable backend is reported, not thrown. */
export async function nextDue(ctx: Pick<Context, 'backend' | 'clock' | 'config'>): Promise<NextDue> {
  const timeZone = ctx.config.timeZone();
  try {
    const session = await activeSession((await ctx.backend()).rows);
    if (!session) return { reachable: true, timeZone, sessionId: null, schedule: null };
    return { reachable: true, timeZone, sessionId: session.id, schedule: scheduleOf(session, { now: ctx.clock.now(), timeZone }) };
  } catch (error) {
    return { reachable: false, error: messageOf(error) };
  }
}

export async function scheduleStatus(
  ctx: ScheduleSource & Pick<Context, 'backend' | 'clock'>,
  machine: Machine,
  o: { runs: number },
): Promise<ScheduleStatus> {
  const installed = await findSchedule(ctx, machine);
  const logFile = scheduleLogPath(ctx.paths.state);
  return {
    installed,
    upToDate: installed === null ? null : isCurrent(installed, ctx),
    logFile,
    lastRuns: readRunRecords(logFile, o.runs),
    next: await nextDue(ctx),
  };
}
