import { UsageError } from '../../errors.js';
import type { Rows } from '../../db/backend.js';
import type { MediaSession, SessionMediaItem, SourceFile } from '../../db/types.js';
import { activeSession, findSession } from '../sessions/load.js';
import { selectIn } from '../../db/selectIn.js';

export interface PlannedItem {
  item: SessionMediaItem;
  source: SourceFile;
}

export interface GroupPlan {
  session: MediaSession;
  /** The group's items, in slide order. */
  items: PlannedItem[];
}

/** The session (the given one, else the active one), refused before any claim when it has no items. */
export async function loadGroupPlan(rows: Rows, sessionId: string | undefined): Promise<GroupPlan> {
  const session = await loadSession(rows, sessionId);
  const [item] = await rows.select('session_media_items', { where: { session_id: session.id }, limit: 1 });
  if (!item) {
    throw new UsageError(`session ${session.id} has no photos or clips`, { hint: 'create one with slides session new' });
  }
  return { session, items: [] };
}

/** The items the claim handed the group (slides_claim_group, 0004), in its order, with their sources. */
export async function claimedPlan(rows: Rows, session: MediaSession, itemIds: readonly string[]): Promise<GroupPlan> {
  if (itemIds.length === 0) {
    throw new UsageError(`session ${session.id} has no photos or clips`, { hint: 'create one with slides session new' });
  }
  const byId = new Map((await selectIn(rows, 'session_media_items', 'id', itemIds)).map((i) => [i.id, i]));
  const chosen = itemIds.map((id) => byId.get(id));
  const ids = [...new Set(chosen.flatMap((item) => (item?.source_file_id ? [item.source_file_id] : [])))];
  const sources = new Map((await selectIn(rows, 'source_files', 'id', ids)).map((s) => [s.id, s]));
  const planned = chosen.map((item, k): PlannedItem => {
    const source = item?.source_file_id ? sources.get(item.source_file_id) : undefined;
    if (!item || !source) {
      throw new UsageError(`item ${item?.position ?? k + 1} of session ${session.id} has no source file any more`, {
        hint: 'upload it again and create a new session with slides session new',
      });
    }
    return { item, source };
  });
  return { session, items: planned };
}

/** A given id may be a prefix, as in every session command. */
async function loadSession(rows: Rows, sessionId: string | undefined): Promise<MediaSession> {
  if (sessionId !== undefined) return findSession(rows, sessionId);
  const active = await activeSession(rows);
  if (!active) throw new UsageError('there is no active session to render', { hint: 'run slides session new' });
  return active;
}
