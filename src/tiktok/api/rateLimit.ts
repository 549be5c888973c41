/** Real time for waiting: tests of the limiter pass their own. */
export interface Waiter {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realWaiter: Waiter = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** TikTok's per-token limits (TIKTOK.md): calls per minute. */
export const TIKTOK_LIMITS = { init: 6, creatorInfo: 20, status: 30 } as const;
export type LimitBucket = keyof typeof TIKTOK_LIMITS;

const WINDOW_MS = 60_000;

/** How long until a sliding one-minute window with these past calls admits one more. */
export function waitForSlot(calls: readonly number[], limit: number, now: number): number {
  const recent = calls.filter((t) => t > now - WINDOW_MS);
  if (recent.length < limit) return 0;
  const oldest = recent[recent.length - limit] as number;
  return oldest + WINDOW_MS - now;
}

/** Keeps one token's calls inside TikTok's per-minute limits, waiting rather than getting a 429. */
export class RateLimiter {
  private readonly calls = new Map<LimitBucket, number[]>();
  constructor(private readonly waiter: Waiter = realWaiter) {}

  /** Resolves when a call in `bucket` may go; returns how long it waited (ms). */
  async take(bucket: LimitBucket): Promise<number> {
    const past = this.calls.get(bucket) ?? [];
    const wait = waitForSlot(past, TIKTOK_LIMITS[bucket], this.waiter.now());
    if (wait > 0) await this.waiter.sleep(wait);
    const now = this.waiter.now();
    this.calls.set(bucket, [...past.filter((t) => t > now - WINDOW_MS), now]);
    return wait;
  }
}
