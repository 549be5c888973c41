/** How long the schedule leaves a session alone once its renders keep failing. Pure. */

/** Failed renders in a row before the schedule waits. */
export const FAILURES_BEFORE_BACKOFF = 3;

/** The waits after the 3rd failure, the 4th, and every one after (the last repeats). */
export const BACKOFF_WAITS_MS = [60 * 60_000, 6 * 60 * 60_000] as const;

export interface Backoff {
  /** Renders that failed since the last one that finished. */
  failures: number;
  /** The scheduled run waits until then. */
  until: Date;
}

/** The back-off a session is under at `now`, or null once it is over (or never began). */
export function backoffAt(failures: number, lastFailedAt: Date | null, now: Date): Backoff | null {
  if (failures < FAILURES_BEFORE_BACKOFF || lastFailedAt === null) return null;
  const step = Math.min(failures - FAILURES_BEFORE_BACKOFF, BACKOFF_WAITS_MS.length - 1);
  const until = new Date(lastFailedAt.getTime() + (BACKOFF_WAITS_MS[step] as number));
  return until.getTime() > now.getTime() ? { failures, until } : null;
}
