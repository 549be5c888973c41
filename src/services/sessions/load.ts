import { basename } from 'node:path';
import type { Rows } from '../../db/backend.js';
import type { MediaSession, SessionMediaItem, SourceFile } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import { matchId } from './ids.js';
import { selectIn } from '../../db/selectIn.js';

export interface LoadedItem {
  item: SessionMediaItem;
  /** Null when the source file was deleted after the session was made. */
  file: SourceFile | null;
  /** The file's name as uploaded, for people (`beach.jpg`). */
  name: string;
}

export interface LoadedSession {
  session: MediaSession;
  /** In position order: the order slides are made in. */
  items: LoadedItem[];
}

export async function activeSession(rows: Rows): Promise<MediaSession | null> {
  const [active] = await rows.select('media_sessions', { where: { is_active: true }, limit: 1 });
  return active ?? null;
}

/** The session `given` names (a whole id or a unique prefix), or the active one when none is given. */
export async function findSession(rows: Rows, given?: string): Promise<MediaSession> {
  if (given === undefined) {
    const active = await activeSession(rows);
    if (!active) {
      throw new UsageError('there is no active session.', { hint: 'slides session new, or slides session activate ID' });
    }
    return active;
  }
  const sessions = await rows.select('media_sessions');
  const id = matchId(given, sessions.map((s) => s.id), 'session', 'slides session list shows your sessions');
  return sessions.find((s) => s.id === id) as MediaSession;
}

/** A session with its items and their source files: what `show`, `edit` and rendering work from. */
export async function loadSession(rows: Rows, given?: string): Promise<LoadedSession> {
  const session = await findSession(rows, given);
  const items = await rows.select('session_media_items', {
    where: { session_id: session.id },
    order: [{ column: 'position' }, { column: 'id' }],
  });
  const fileIds = [...new Set(items.flatMap((i) => (i.source_file_id ? [i.source_file_id] : [])))];
  const files = await selectIn(rows, 'source_files', 'id', fileIds);
  const byId = new Map(files.map((f) => [f.id, f]));
  return {
    session,
    items: items.map((item) => {
      const file = (item.source_file_id && byId.get(item.source_file_id)) || null;
      return { item, file, name: file ? (file.original_name ?? basename(file.file_path)) : '(deleted file)' };
    }),
  };
}

export interface SessionSummary extends MediaSession {
  item_count: number;
}

/** Every session, newest first, with how many items each has. */
export async function listSessions(rows: Rows): Promise<SessionSummary[]> {
  const sessions = await rows.select('media_sessions', { order: [{ column: 'started_at', ascending: false }, { column: 'id' }] });
  const items = await selectIn(
    rows,
    'session_media_items',
    'session_id',
    sessions.map((s) => s.id),
  );
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.session_id, (counts.get(item.session_id) ?? 0) + 1);
  return sessions.map((s) => ({ ...s, item_count: counts.get(s.id) ?? 0 }));
}
