import { wallClock } from '../../services/schedule/wallClock.js';

/** Presentation shared by the `slides session …` commands (not a command itself). */

/** "2024-05-01 14:00" in the user's time zone, or a word for no time at all. */
export function when(at: string | Date | null, timeZone: string, none = 'never'): string {
  return at === null ? none : wallClock(new Date(at), timeZone);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "2 groups a day (at most 3), 4 slides each" */
export function scheduleLine(s: { frequency: number | null; max_per_day: number | null; per_group: number | null }): string {
  const frequency = s.frequency === null ? 'no schedule' : `${plural(s.frequency, 'group')} a day`;
  const cap = s.max_per_day === null ? '' : ` (at most ${s.max_per_day})`;
  const size = s.per_group === null ? '' : `, ${plural(s.per_group, 'slide')} each`;
  return `${frequency}${cap}${size}`;
}

/** A caption on one line, for tables: line breaks shown as ⏎, long ones cut. */
export function oneLine(caption: string | null, max = 60): string {
  if (caption === null) return '';
  const flat = caption.replace(/\r?\n/g, ' ⏎ ');
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}
