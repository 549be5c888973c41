import type { TikTokApi } from '../../tiktok/api/client.js';
import { fetchStatus, type PostStatus } from '../../tiktok/api/posting.js';
import type { Waiter } from '../../tiktok/api/rateLimit.js';

/** Seconds between status polls: quick at first (drafts land fast), then every 15 s, well inside 30 a minute. */
const POLL_DELAYS_S = [1, 2, 3, 5, 8, 10, 15];
/** After this long, stop waiting: the post stays `processing` and the next `slides publish` picks it up. */
export const POLL_DEADLINE_MS = 10 * 60_000;

export function isTerminal(status: PostStatus): boolean {
  return status.status === 'SEND_TO_USER_INBOX' || status.status === 'PUBLISH_COMPLETE' || status.status === 'FAILED';
}

/** Polls status/fetch with backoff until a terminal status or the deadline; returns the last status seen. */
export async function pollStatus(
  api: TikTokApi,
  publishId: string,
  waiter: Waiter,
  onStatus: (status: PostStatus) => void,
): Promise<PostStatus> {
  const started = waiter.now();
  for (let i = 0; ; i++) {
    await waiter.sleep((POLL_DELAYS_S[Math.min(i, POLL_DELAYS_S.length - 1)] as number) * 1000);
    const status = await fetchStatus(api, publishId);
    onStatus(status);
    if (isTerminal(status) || waiter.now() - started > POLL_DEADLINE_MS) return status;
  }
}
