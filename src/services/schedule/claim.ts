import type { Rows } from '../../db/backend.js';
import type { MediaSession, SlideGroup } from '../../db/types.js';
import { evaluateSchedule, isSameLocalDay, type ScheduleState } from './slots.js';

export interface ScheduleAt {
  now: Date;
  timeZone: string;
}

/** A claimed group: the session as the claim left it, and the group's `rendering` row. */
export interface Claim {
  session: MediaSession;
  group: SlideGroup;
}

export type ClaimResult =
  /** This process owns the slot and its group row. */
  | ({ status: 'claimed'; schedule: ScheduleState } & Claim)
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
 * Takes one group of the day's count with one conditional update that only matches the row as
 * this process read it (so when several machines run at once exactly one of them wins), and
 * inserts that group's `rendering` row in the same transaction (slides_claim_group, 0003).
 * Null when another process changed the session first.
 */
export async function claimGroup(
  rows: Rows,
  seen: MediaSession,
  o: { now: Date; createdPerDay: number; requireActive: boolean },
): Promise<Claim | null> {
  const now = o.now.toISOString();
  const group = await rows.rpc<SlideGroup | null>('slides_claim_group', {
    p_session_id: seen.id,
    p_seen_last_run_at: seen.last_run_at,
    p_seen_created_per_day: seen.created_per_day,
    p_created_per_day: o.createdPerDay,
    p_now: now,
    p_require_active: o.requireActive,
  });
  // A function returning no row reads as null through PostgREST and as a row of nulls in SQL.
  if (!group?.id) return null;
  return { session: { ...seen, created_per_day: o.createdPerDay, last_run_at: now }, group };
}

/** Claims the session's open slot, if the schedule says one is open (DESIGN §7). */
export async function claimDueSlot(rows: Rows, session: MediaSession, at: ScheduleAt): Promise<ClaimResult> {
  const schedule = scheduleOf(session, at);
  if (!schedule.due) return { status: 'not-due', schedule };
  const claim = await claimGroup(rows, session, { now: at.now, createdPerDay: schedule.createdToday + 1, requireActive: true });
  return claim ? { status: 'claimed', ...claim, schedule } : { status: 'taken', schedule };
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

/**
 * Marks a claimed group failed and gives its count back, once: the flip from `rendering` is
 * conditional, so whichever of the render, its caller or a later crash recovery gets there
 * first gives the count back and the others do nothing.
 */
export async function failClaim(
  rows: Rows,
  claim: Claim,
  reason: string,
  o: { timeZone: string },
): Promise<ReleaseResult> {
  const [failed] = await rows.update('slide_groups', { status: 'failed', error: reason }, { id: claim.group.id, status: 'rendering' });
  if (!failed) return 'nothing-to-release';
  return releaseSlot(rows, claim.session, o);
}
