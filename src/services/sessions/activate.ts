import type { Rows } from '../../db/backend.js';
import type { MediaSession } from '../../db/types.js';
import { DatabaseError, SQLSTATE, UsageError } from '../../errors.js';
import { activeSession, findSession } from './load.js';

/** Makes the session the one active session; the previous one is switched off in the same transaction. */
export async function activateSession(rows: Rows, given: string): Promise<{ session: MediaSession; previous: MediaSession | null }> {
  const target = await findSession(rows, given);
  const current = await activeSession(rows);
  if (current?.id === target.id) return { session: current, previous: null };
  try {
    const session = await rows.rpc<MediaSession>('slides_activate_session', { p_session_id: target.id });
    return { session, previous: current };
  } catch (error) {
    if (error instanceof DatabaseError && error.sqlState === SQLSTATE.noDataFound) {
      throw new UsageError(`no such session: ${given}`, { hint: 'slides session list shows your sessions', cause: error });
    }
    throw error;
  }
}
