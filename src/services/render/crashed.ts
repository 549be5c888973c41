import type { Rows } from '../../db/backend.js';
import type { SlideGroup } from '../../db/types.js';
import { failGroup } from '../schedule/claim.js';

export const CRASHED_MESSAGE = 'interrupted: the render stopped before finishing (crash or kill)';

/**
 * Marks the session's `rendering` groups older than `staleAfterMs` as failed and gives their day
 * count back: a render that dies (SIGKILL, power cut) cannot do it itself. Each row is flipped with
 * a conditional update, so its count is given back once however many renders look at it.
 */
export async function recoverCrashedGroups(
  rows: Rows,
  sessionId: string,
  o: { now: Date; timeZone: string; staleAfterMs: number; except?: string },
): Promise<SlideGroup[]> {
  const cutoff = new Date(o.now.getTime() - o.staleAfterMs).toISOString();
  const stale = await rows.select('slide_groups', {
    where: { session_id: sessionId, status: 'rendering', created_at: { lte: cutoff } },
    order: [{ column: 'created_at' }],
  });
  const recovered: SlideGroup[] = [];
  for (const group of stale) {
    if (group.id === o.except) continue;
    const failed = await failGroup(rows, group, CRASHED_MESSAGE, o);
    if (failed) recovered.push(failed);
  }
  return recovered;
}
