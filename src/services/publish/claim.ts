import type { Rows } from '../../db/backend.js';
import type { PostKind, PostMode, SlideGroupPost } from '../../db/types.js';
import { SlidesError } from '../../errors.js';
import { FINISHED_STATUSES } from './findGroup.js';

/** Another run holds a live claim on this post and said it is alive within the lease. */
export class PostInProgress extends SlidesError {
  override readonly exitCode = 4;
  constructor(readonly post: SlideGroupPost) {
    super(`another slides run is publishing this group (${post.kind}, since ${post.created_at}, last alive ${post.heartbeat_at})`, {
      hint: 'let it finish; a crashed run is taken over once its lease lapses (2 minutes)',
    });
  }
}

/** How the claim came back: ours to start, ours to resume (a crashed run's), already finished, or someone else's. */
export type ClaimOutcome =
  | { kind: 'new'; post: SlideGroupPost }
  | { kind: 'resumed'; post: SlideGroupPost }
  | { kind: 'finished'; post: SlideGroupPost }
  | { kind: 'busy'; post: SlideGroupPost };

/**
 * A claim left by a crashed run is taken over at once on the embedded backend (its data-dir lock
 * proves no other run is alive), elsewhere once its heartbeat is older than this lease.
 */
export const REMOTE_LEASE_MS = 2 * 60_000;
export const HEARTBEAT_MS = 30_000;

export async function claimPost(
  rows: Rows,
  o: { groupId: string; kind: PostKind; mode: PostMode; holder: string; now: Date; leaseMs: number | 'holder-gone'; again: boolean },
): Promise<ClaimOutcome> {
  const post = await rows.rpc<SlideGroupPost>('slides_claim_post', {
    p_group_id: o.groupId,
    p_kind: o.kind,
    p_mode: o.mode,
    p_holder: o.holder,
    p_now: o.now.toISOString(),
    p_stale_before: o.leaseMs === 'holder-gone' ? 'infinity' : new Date(o.now.getTime() - o.leaseMs).toISOString(),
    p_again: o.again,
  });
  if ((FINISHED_STATUSES as readonly string[]).includes(post.status)) return { kind: 'finished', post };
  if (post.holder !== o.holder) return { kind: 'busy', post };
  return post.attempts > 1 || post.publish_id !== null ? { kind: 'resumed', post } : { kind: 'new', post };
}

/** Writes to our claim only while we still hold it; returns the row, or null when the claim was taken over. */
export async function updatePost(
  rows: Rows,
  post: Pick<SlideGroupPost, 'id' | 'holder'>,
  patch: Partial<SlideGroupPost>,
  now: Date,
): Promise<SlideGroupPost | null> {
  const [row] = await rows.update('slide_group_posts', { ...patch, updated_at: now.toISOString() }, { id: post.id, holder: post.holder });
  return row ?? null;
}

/** Keeps the claim's heartbeat fresh while the upload and polling run; stop() when done. */
export function startHeartbeat(rows: Rows, post: Pick<SlideGroupPost, 'id' | 'holder'>, now: () => Date, onLost: () => void): { stop(): void } {
  const timer = setInterval(() => {
    const at = now().toISOString();
    rows.update('slide_group_posts', { heartbeat_at: at }, { id: post.id, holder: post.holder }).then(
      (changed) => {
        if (changed.length === 0) onLost();
      },
      () => undefined,
    );
  }, HEARTBEAT_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
