import type { Rows } from '../../db/backend.js';
import type { MediaSession } from '../../db/types.js';
import { evaluateSchedule, isSameLocalDay, type ScheduleState } from './slots.js';

export interface ScheduleAt {
  now: Date;
  timeZone: string;
}

export type ClaimResult =
  /** This process owns the slot: `session` is the row as updated (count and last run). */
  | { status: 'claimed'; session: MediaSession; schedule: ScheduleState }
  /** The session was due, but another process changed it first. */
  | { status: 'taken'; schedule: ScheduleState }
  | { status: 'not-due'; schedule: ScheduleState };

export function scheduleOf(session: MediaSession, { now, timeZone }: ScheduleAt): ScheduleState {
  return evaluateSchedule({
    frequency: session.frequency,
    maxPerDay: session.max_per_day,
    createdPerDay: session.created_per_day,
    lastRunAt: session.last_run_at === null ? null : new Date(session.last_run_at),
    timeZone,
    now,
  });
}

/**
 * Claims the session's open slot with one conditional update: it only matches the row as this
 * process read it, so when several machines run at once exactly one of them gets a row back.
 */
export async function claimDueSlot(rows: Rows, session: MediaSession, at: ScheduleAt): Promise<ClaimResult> {
  const schedule = scheduleOf(session, at);
  if (!schedule.due) return { status: 'not-due', schedule };
  const [claimed] = await rows.update(
    'media_sessions',
    { last_run_at: at.now.toISOString(), created_per_day: schedule.createdToday + 1 },
    {
      id: session.id,
      is_active: true,
      last_run_at: session.last_run_at === null ? { is: null } : session.last_run_at,
      created_per_day: session.created_per_day,
    },
  );
  return claimed ? { status: 'claimed', session: claimed, schedule } : { status: 'taken', schedule };
}

export type ReleaseResult = 'released' | 'nothing-to-release';

/**
 * Gives a failed render's slot back: the day's count goes down by one, so a later run retries.
 * Conditional like the claim; when another run changed the row meanwhile it re-reads and tries
 * again. Nothing is given back once the row has moved on to a later local day (the count reset).
 */
export async function releaseSlot(
  rows: Rows,
  claimed: MediaSession,
  { timeZone, attempts = 10 }: { timeZone: string; attempts?: number },
): Promise<ReleaseResult> {
  if (claimed.last_run_at === null) return 'nothing-to-release';
  const claimedAt = new Date(claimed.last_run_at);
  let current: MediaSession | undefined = claimed;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (!current || current.last_run_at === null || current.created_per_day <= 0) return 'nothing-to-release';
    if (!isSameLocalDay(new Date(current.last_run_at), claimedAt, timeZone)) return 'nothing-to-release';
    const [released] = await rows.update(
      'media_sessions',
      { created_per_day: current.created_per_day - 1 },
      { id: current.id, last_run_at: current.last_run_at, created_per_day: current.created_per_day },
    );
    if (released) return 'released';
    [current] = await rows.select('media_sessions', { where: { id: claimed.id }, limit: 1 });
  }
  throw new Error(`could not give back the slot of session ${claimed.id}: the row kept changing (${attempts} tries)`);
}
