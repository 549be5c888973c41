import type { Rows } from '../../db/backend.js';
import type { MediaSession, SlideGroup } from '../../db/types.js';
import { backoffAt, type Backoff } from './backoff.js';
import { evaluateSchedule, localDayStart, nextLocalDayStart, type ScheduleState } from './slots.js';

export interface ScheduleAt {
  now: Date;
  timeZone: string;
}

/** A claimed group: the session as the claim left it, and the group's `rendering` row (number and items). */
export interface Claim {
  session: MediaSession;
  group: SlideGroup;
}

export type ClaimResult =
  /** This process owns the slot and its group row. */
  | ({ status: 'claimed'; schedule: DueState } & Claim)
  /** The session was due, but another process changed it first. */
  | { status: 'taken'; schedule: DueState }
  | { status: 'not-due'; schedule: DueState };

/** The slot math (slots.ts) with the back-off over it: a session whose renders keep failing waits. */
export interface DueState extends ScheduleState {
  /** Set while the back-off holds the next group later than the slots would. */
  backoff: Backoff | null;
}

export function scheduleOf(session: MediaSession, { now, timeZone }: ScheduleAt): DueState {
  const state = evaluateSchedule({
    frequency: session.frequency,
    maxPerDay: session.max_per_day,
    createdPerDay: session.created_per_day,
    lastRunAt: session.last_run_at === null ? null : new Date(session.last_run_at),
    timeZone,
    now,
  });
  const lastFailedAt = session.last_failed_at === null ? null : new Date(session.last_failed_at);
  const backoff = backoffAt(session.consecutive_failures, lastFailedAt, now);
  if (!backoff || state.nextDueAt === null || state.nextDueAt.getTime() >= backoff.until.getTime()) return { ...state, backoff: null };
  return { ...state, due: false, reason: 'backing-off', nextDueAt: backoff.until, backoff };
}

/**
 * Takes one group of the day's count with one conditional update that only matches the row as
 * this process read it (so when several machines run at once exactly one of them wins), and in the
 * same transaction hands out the group's number and items (advancing next_position) and inserts
 * its `rendering` row (slides_claim_group, 0003 then 0004). Null when another process changed the
 * session first.
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
  return { session: { ...seen, created_per_day: o.createdPerDay, last_run_at: now, last_group_number: group.group_number }, group };
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
 * Marks a claimed group failed, once, in one transaction (slides_fail_group, 0004): the flip from
 * `rendering` is conditional, so whichever of the render, its caller or a later crash recovery
 * gets there first gives the day's count back (while the count still holds the group's local
 * day), counts the failure for the back-off and hands the items back when no later group was
 * claimed; the others do nothing. Null when the group was no longer rendering.
 */
export async function failGroup(
  rows: Rows,
  group: Pick<SlideGroup, 'id' | 'created_at'>,
  reason: string,
  { now, timeZone }: ScheduleAt,
): Promise<SlideGroup | null> {
  const claimedAt = new Date(group.created_at);
  const failed = await rows.rpc<SlideGroup | null>('slides_fail_group', {
    p_group_id: group.id,
    p_reason: reason,
    p_now: now.toISOString(),
    p_day_start: localDayStart(claimedAt, timeZone).toISOString(),
    p_day_end: nextLocalDayStart(claimedAt, timeZone).toISOString(),
  });
  return failed?.id ? failed : null;
}

/** failGroup for a claim: whether this call was the one that gave the count back. */
export async function failClaim(rows: Rows, claim: Claim, reason: string, at: ScheduleAt): Promise<ReleaseResult> {
  return (await failGroup(rows, claim.group, reason, at)) ? 'released' : 'nothing-to-release';
}
