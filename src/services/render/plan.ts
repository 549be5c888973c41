import { UsageError } from '../../errors.js';
import type { Rows } from '../../db/backend.js';
import type { MediaSession, SessionMediaItem, SourceFile } from '../../db/types.js';
import { groupWindow } from './window.js';

export interface PlannedItem {
  item: SessionMediaItem;
  source: SourceFile;
}

export interface GroupPlan {
  session: MediaSession;
  /** The group's items, in slide order. */
  items: PlannedItem[];
  /** Where the session's next group starts once this one is done. */
  nextPosition: number;
}

/** The session (the given one, else the active one) and the items its next group takes. */
export async function loadGroupPlan(rows: Rows, sessionId: string | undefined): Promise<GroupPlan> {
  const session = await loadSession(rows, sessionId);
  const items = await rows.select('session_media_items', {
    where: { session_id: session.id },
    order: [{ column: 'position' }, { column: 'id' }],
  });
  if (items.length === 0) {
    throw new UsageError(`session ${session.id} has no photos or clips`, { hint: 'create one with slides session new' });
  }
  const window = groupWindow(items.length, session.next_position, session.per_group);
  const chosen = window.indices.map((i) => items[i] as SessionMediaItem);
  const ids = [...new Set(chosen.flatMap((item) => (item.source_file_id === null ? [] : [item.source_file_id])))];
  const sources = new Map((await rows.select('source_files', { where: { id: { in: ids } } })).map((s) => [s.id, s]));
  const planned = chosen.map((item): PlannedItem => {
    const source = item.source_file_id === null ? undefined : sources.get(item.source_file_id);
    if (!source) {
      throw new UsageError(`item ${item.position ?? '?'} of session ${session.id} has no source file any more`, {
        hint: 'upload it again and create a new session with slides session new',
      });
    }
    return { item, source };
  });
  return { session, items: planned, nextPosition: window.nextPosition };
}

async function loadSession(rows: Rows, sessionId: string | undefined): Promise<MediaSession> {
  if (sessionId !== undefined) {
    const [session] = await rows.select('media_sessions', { where: { id: sessionId } });
    if (!session) throw new UsageError(`no session ${sessionId}`, { hint: 'see slides session list' });
    return session;
  }
  const [active] = await rows.select('media_sessions', { where: { is_active: true }, limit: 1 });
  if (!active) throw new UsageError('there is no active session to render', { hint: 'run slides session new' });
  return active;
}
