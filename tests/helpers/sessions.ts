import type { Backend } from '../../src/db/backend.js';
import type { MediaSession } from '../../src/db/types.js';

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
