import type { MediaSession } from '../../db/types.js';
import { evaluateSchedule, type ScheduleState } from '../schedule/slots.js';

/** Where the session stands today: groups made, whether it is due, and when next. */
export function sessionSchedule(session: MediaSession, now: Date, timeZone: string): ScheduleState {
  return evaluateSchedule({
    frequency: session.frequency,
    maxPerDay: session.max_per_day,
    createdPerDay: session.created_per_day,
    lastRunAt: session.last_run_at === null ? null : new Date(session.last_run_at),
    timeZone,
    now,
  });
}
