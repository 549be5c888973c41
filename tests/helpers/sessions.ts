import { randomBytes } from 'node:crypto';
import type { Backend } from '../../src/db/backend.js';
import type { MediaSession, SessionMediaItem } from '../../src/db/types.js';

/** A new active session with no items, its schedule columns then set to `state`. */
export async function emptySession(backend: Backend, state: Partial<MediaSession> = {}, frequency = 4): Promise<MediaSession> {
  const created = await backend.rows.rpc<MediaSession>('slides_create_session', {
    p_frequency: frequency,
    p_max_per_day: null,
    p_per_group: null,
    p_items: [],
    p_replace_active: true,
  });
  if (Object.keys(state).length === 0) return created;
  const [updated] = await backend.rows.update('media_sessions', state, { id: created.id });
  return updated!;
}

/** The session's row as the database has it now. */
export async function sessionNow(backend: Backend, id: string): Promise<MediaSession> {
  const [row] = await backend.rows.select('media_sessions', { where: { id } });
  return row!;
}

/** A new active session of `count` items over source rows of their own (no objects: for SQL-level tests). */
export async function sessionWithItems(
  backend: Backend,
  count: number,
  o: { perGroup?: number | null; frequency?: number; maxPerDay?: number | null } = {},
): Promise<{ session: MediaSession; items: SessionMediaItem[] }> {
  const files = await backend.rows.insert(
    'source_files',
    Array.from({ length: count }, () => {
      const sha256 = randomBytes(32).toString('hex');
      return { file_path: `${backend.identity.userId}/${sha256}.jpg`, file_type: 'image' as const, sha256 };
    }),
  );
  const session = await backend.rows.rpc<MediaSession>('slides_create_session', {
    p_frequency: o.frequency ?? 4,
    p_max_per_day: o.maxPerDay ?? null,
    p_per_group: o.perGroup ?? null,
    p_items: files.map((f, i) => ({ source_file_id: f.id, position: i, generated_caption: `caption ${i + 1}`, media_type: 'image' })),
    p_replace_active: true,
  });
  return { session, items: await itemsInOrder(backend, session.id) };
}

/** The session's items in slide order (position, then id), as the claim orders them. */
export async function itemsInOrder(backend: Backend, sessionId: string): Promise<SessionMediaItem[]> {
  return backend.rows.select('session_media_items', {
    where: { session_id: sessionId },
    order: [{ column: 'position' }, { column: 'id' }],
  });
}
