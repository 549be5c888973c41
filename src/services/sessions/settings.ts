import { InvalidSetting } from '../../errors.js';

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

/** Throws an error naming the setting when the settings given so far make no sense (before any file is looked at). */
export function checkGivenSettings(s: Partial<ScheduleSettings>): void {
  for (const field of ['frequency', 'maxPerDay', 'perGroup'] as const) {
    const value = s[field];
    const problem = value === undefined ? null : positiveIntProblem(value);
    if (problem) throw new InvalidSetting(field, value, problem);
  }
  if (s.frequency !== undefined && s.maxPerDay !== undefined && s.maxPerDay < s.frequency) {
    throw new InvalidSetting('maxPerDay', s.maxPerDay, `is below the frequency of ${s.frequency} a day: the cap would stop scheduled groups`, {
      pass: `${s.frequency} or more`,
    });
  }
}

/** Throws an error naming the setting when the settings make no sense for `itemCount` items. */
export function checkScheduleSettings(s: ScheduleSettings, itemCount: number): void {
  checkGivenSettings(s);
  if (s.perGroup > itemCount) throw perGroupTooBig(s.perGroup, itemCount);
}

export function perGroupTooBig(perGroup: number, itemCount: number): InvalidSetting {
  return new InvalidSetting('perGroup', perGroup, `is more than the ${itemCount} item(s) in the session`, { pass: `${itemCount} or fewer` });
}
