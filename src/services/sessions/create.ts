import type { Rows } from '../../db/backend.js';
import type { MediaSession, SessionMediaItem } from '../../db/types.js';
import { DatabaseError, SlidesError, SQLSTATE } from '../../errors.js';
import type { Candidate } from './candidates.js';
import type { SessionLook } from './sessionLook.js';
import type { ScheduleSettings } from './settings.js';

export interface NewSession {
  /** In session order. */
  items: Array<{ candidate: Candidate; caption: string | null }>;
  settings: ScheduleSettings;
  /** Switch off the current active session in the same transaction (the user agreed). */
  replaceActive: boolean;
  /** Its look and post settings, checked and with their files stored (applyLookChange). */
  stored?: SessionLook;
}

/** Creates the session and its items and makes it the active one, in one transaction (slides_create_session). */
export async function createSession(rows: Rows, plan: NewSession): Promise<{ session: MediaSession; items: SessionMediaItem[] }> {
  let session: MediaSession;
  try {
    session = await rows.rpc<MediaSession>('slides_create_session', {
      p_frequency: plan.settings.frequency,
      p_max_per_day: plan.settings.maxPerDay,
      p_per_group: plan.settings.perGroup,
      p_items: plan.items.map(({ candidate, caption }, position) => ({
        source_file_id: candidate.file.id,
        position,
        generated_caption: caption,
        media_type: candidate.file.file_type,
      })),
      p_replace_active: plan.replaceActive,
      p_render_settings: plan.stored?.look ?? {},
      p_post_settings: plan.stored?.post ?? {},
    });
  } catch (error) {
    if (error instanceof DatabaseError && error.sqlState === SQLSTATE.uniqueViolation && !plan.replaceActive) {
      throw new SlidesError('another session became active while this one was being set up; nothing was created.', {
        hint: 'run the command again',
        cause: error,
      });
    }
    throw error;
  }
  const items = await rows.select('session_media_items', {
    where: { session_id: session.id },
    order: [{ column: 'position' }],
  });
  return { session, items };
}
