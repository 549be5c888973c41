import { tz } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import { UsageError } from '../../errors.js';

/**
 * When a session's next slide group is due (DESIGN §7). Pure: no clock, no database.
 *
 * A local day of length L has F slots at `midnight + floor(k·L/F)`, k = 0…F−1, where L is the
 * real elapsed length of that day: 23 h on a spring-forward day, 25 h on a fall-back day. So the
 * slots stay evenly spaced and always F distinct instants, and none falls into a skipped hour or
 * happens twice in a repeated one; on those two days they sit up to an hour from their usual
 * wall-clock time (New York, 2024-03-10, F = 4: 00:00, 06:45, 12:30, 18:15 EDT).
 *
 * Due means more slots have passed today than groups were created today, under the day's cap, and
 * the last group is at least CATCH_UP_PACE_MS (10 min) old, or one slot spacing when slots are
 * closer. So a machine that slept through several slots catches up one group per run and at most
 * one per 10 min, never in a burst, and machines that run at the same moment make one group
 * between them, not one each. The pace only delays a slot when the group before it was late.
 */
export interface ScheduleInput {
  /** Slide groups per day; null means the session has no schedule. */
  frequency: number | null;
  maxPerDay: number | null;
  /** The session's counter, which only counts for the local day of `lastRunAt`. */
  createdPerDay: number;
  lastRunAt: Date | null;
  timeZone: string;
  now: Date;
}

export type ScheduleReason =
  | 'slot-open'
  | 'no-frequency'
  | 'day-cap-reached'
  | 'waiting-for-slot'
  | 'catching-up'
  /** Set by the caller (services/schedule/claim.ts) when renders kept failing: the slot waits. */
  | 'backing-off';

export const CATCH_UP_PACE_MS = 10 * 60_000;

export interface ScheduleState {
  due: boolean;
  reason: ScheduleReason;
  /** Groups created on the local day of `now`: 0 when `lastRunAt` is unset or on an earlier day. */
  createdToday: number;
  slotsPassedToday: number;
  /** `now` when due; null when the session has no schedule. */
  nextDueAt: Date | null;
}

/** The first instant of the local day that contains `at` (local midnight, or 01:00 where midnight is skipped). */
export function localDayStart(at: Date, timeZone: string): Date {
  const start = startOfDay(at, { in: zone(timeZone) });
  return new Date(start.getTime());
}

/** The first instant of the next local day. */
export function nextLocalDayStart(at: Date, timeZone: string): Date {
  const inZone = { in: zone(timeZone) };
  return new Date(startOfDay(addDays(startOfDay(at, inZone), 1, inZone), inZone).getTime());
}

export function isSameLocalDay(a: Date, b: Date, timeZone: string): boolean {
  return localDayStart(a, timeZone).getTime() === localDayStart(b, timeZone).getTime();
}

/** The F slot instants of the local day that contains `at`. */
export function slotsOfDay(at: Date, frequency: number, timeZone: string): Date[] {
  return spreadSlots(localDayStart(at, timeZone), nextLocalDayStart(at, timeZone), frequency);
}

function spreadSlots(dayStart: Date, nextDayStart: Date, frequency: number): Date[] {
  const start = dayStart.getTime();
  const length = nextDayStart.getTime() - start;
  return Array.from({ length: frequency }, (_, k) => new Date(start + Math.floor((k * length) / frequency)));
}

/** The session's counter holds the groups of its last run's local day: none once that day is over. */
export function groupsToday(createdPerDay: number, lastRunAt: Date | null, now: Date, timeZone: string): number {
  return lastRunAt !== null && lastRunAt.getTime() >= localDayStart(now, timeZone).getTime() ? createdPerDay : 0;
}

export function evaluateSchedule(input: ScheduleInput): ScheduleState {
  const { frequency, maxPerDay, now, timeZone } = input;
  checkCount('frequency', frequency);
  checkCount('max_per_day', maxPerDay);
  const dayStart = localDayStart(now, timeZone);
  const createdToday = groupsToday(input.createdPerDay, input.lastRunAt, now, timeZone);
  if (frequency === null) {
    return { due: false, reason: 'no-frequency', createdToday, slotsPassedToday: 0, nextDueAt: null };
  }
  const tomorrow = nextLocalDayStart(now, timeZone);
  const slots = spreadSlots(dayStart, tomorrow, frequency);
  const slotsPassedToday = slots.filter((slot) => slot.getTime() <= now.getTime()).length;
  const pace = Math.min(CATCH_UP_PACE_MS, Math.floor((tomorrow.getTime() - dayStart.getTime()) / frequency));
  const pacedUntil = input.lastRunAt === null ? -Infinity : input.lastRunAt.getTime() + pace;
  const notBefore = (at: Date) => new Date(Math.max(at.getTime(), pacedUntil));
  const state = { createdToday, slotsPassedToday };
  if (createdToday >= (maxPerDay ?? Infinity)) {
    return { due: false, reason: 'day-cap-reached', ...state, nextDueAt: notBefore(tomorrow) };
  }
  if (createdToday < slotsPassedToday) {
    if (pacedUntil > now.getTime()) return { due: false, reason: 'catching-up', ...state, nextDueAt: notBefore(now) };
    return { due: true, reason: 'slot-open', ...state, nextDueAt: now };
  }
  return { due: false, reason: 'waiting-for-slot', ...state, nextDueAt: notBefore(slots[createdToday] ?? tomorrow) };
}

function checkCount(name: string, value: number | null): void {
  if (value !== null && !(Number.isSafeInteger(value) && value > 0)) {
    throw new UsageError(`the session's ${name} is ${value}; it must be a whole number above 0.`);
  }
}

const knownZones = new Set<string>();

function zone(timeZone: string) {
  if (!knownZones.has(timeZone)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw new UsageError(`${timeZone} is not an IANA time zone.`, { hint: 'slides config set timezone Europe/Paris' });
    }
    knownZones.add(timeZone);
  }
  return tz(timeZone);
}
