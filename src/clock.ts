/** The time source every layer takes as a plain argument (tests and SLIDES_NOW pin it). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** SLIDES_NOW pins the clock (ISO 8601) so end-to-end tests can play out several days. */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const pinned = env.SLIDES_NOW;
  if (!pinned) return systemClock;
  const at = new Date(pinned);
  if (Number.isNaN(at.getTime())) throw new Error(`SLIDES_NOW is not a date: ${pinned}`);
  return { now: () => new Date(at) };
}
