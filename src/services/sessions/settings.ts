import { UsageError } from '../../errors.js';

/** How often a session makes slide groups, and how big they are (DESIGN §7). */
export interface ScheduleSettings {
  frequency: number;
  maxPerDay: number;
  perGroup: number;
}

export const DEFAULT_PER_GROUP = 10;

/** Null when `value` is a whole number above 0, else why not (for a prompt's validate). */
export function positiveIntProblem(value: string | number): string | null {
  const n = typeof value === 'number' ? value : Number(value.trim());
  const whole = typeof value === 'number' || /^\d+$/.test(value.trim());
  return whole && Number.isSafeInteger(n) && n > 0 ? null : 'expected a whole number above 0';
}

/** Throws a usage error naming the flag when the settings given so far make no sense (before any file is looked at). */
export function checkGivenSettings(s: Partial<ScheduleSettings>): void {
  for (const [flag, value] of [
    ['--frequency', s.frequency],
    ['--max-per-day', s.maxPerDay],
    ['--per-group', s.perGroup],
  ] as const) {
    const problem = value === undefined ? null : positiveIntProblem(value);
    if (problem) throw new UsageError(`${flag} ${value}: ${problem}.`);
  }
  if (s.frequency !== undefined && s.maxPerDay !== undefined && s.maxPerDay < s.frequency) {
    throw new UsageError(`--max-per-day ${s.maxPerDay} is below --frequency ${s.frequency}: the cap would stop scheduled groups.`, {
      hint: `pass --max-per-day ${s.frequency} or more`,
    });
  }
}

/** Throws a usage error naming the flag when the settings make no sense for `itemCount` items. */
export function checkScheduleSettings(s: ScheduleSettings, itemCount: number): void {
  checkGivenSettings(s);
  if (s.perGroup > itemCount) {
    throw new UsageError(`--per-group ${s.perGroup} is more than the ${itemCount} item(s) in the session.`, {
      hint: `pass --per-group ${itemCount} or fewer, or select more files`,
    });
  }
}
