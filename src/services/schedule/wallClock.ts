/** `2025-06-02 00:00`: an instant as the creator's wall clock in `timeZone` shows it. */
export function wallClock(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** `2025-06-02 00:00 (Europe/Paris)`, for messages read away from the creator's own clock. */
export function wallClockWithZone(at: Date, timeZone: string): string {
  return `${wallClock(at, timeZone)} (${timeZone})`;
}
