import type { Rows } from '../../db/backend.js';
import type { MediaSession } from '../../db/types.js';
import { activeSession, findSession } from './load.js';

/** Switches a session off (the active one when none is named); null when nothing was active. */
export async function stopSession(rows: Rows, given?: string): Promise<{ session: MediaSession; wasActive: boolean } | null> {
  const target = given === undefined ? await activeSession(rows) : await findSession(rows, given);
  if (!target) return null;
  if (!target.is_active) return { session: target, wasActive: false };
  const [stopped] = await rows.update('media_sessions', { is_active: false }, { id: target.id });
  return { session: stopped ?? { ...target, is_active: false }, wasActive: true };
}
