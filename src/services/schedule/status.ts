import type { Rows } from '../../db/backend.js';
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

/** Where the active session is read, and the moment and zone its schedule is judged in. */
export interface DueSource {
  /** Opened only here, so an unreachable backend is part of the status. */
  rows: () => Promise<Rows>;
  now: Date;
  timeZone: string;
}

/** When the active session is next due; an unreachable backend is reported, not thrown. */
export async function nextDue(o: DueSource): Promise<NextDue> {
  const { timeZone } = o;
  try {
    const session = await activeSession(await o.rows());
    if (!session) return { reachable: true, timeZone, sessionId: null, schedule: null };
    return { reachable: true, timeZone, sessionId: session.id, schedule: scheduleOf(session, { now: o.now, timeZone }) };
  } catch (error) {
    return { reachable: false, error: messageOf(error) };
  }
}

export async function scheduleStatus(source: ScheduleSource, due: DueSource, machine: Machine, o: { runs: number }): Promise<ScheduleStatus> {
  const installed = await findSchedule(source, machine);
  const logFile = scheduleLogPath(source.paths.state);
  return {
    installed,
    upToDate: installed === null ? null : isCurrent(installed, source),
    logFile,
    lastRuns: readRunRecords(logFile, o.runs),
    next: await nextDue(due),
  };
}
