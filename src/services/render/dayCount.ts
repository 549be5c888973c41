import { DayCapReached, SlidesError, UsageError } from '../../errors.js';
import type { Rows } from '../../db/backend.js';
import type { MediaSession } from '../../db/types.js';
import { groupsToday, nextLocalDayStart } from '../schedule/slots.js';
import { wallClockWithZone } from '../schedule/wallClock.js';
import { claimGroup, type Claim } from '../schedule/claim.js';

/** Groups the session's counter holds for the local day of `now`. */
export function createdToday(session: Pick<MediaSession, 'last_run_at' | 'created_per_day'>, now: Date, timeZone: string): number {
  return groupsToday(session.created_per_day, session.last_run_at === null ? null : new Date(session.last_run_at), now, timeZone);
}

const ATTEMPTS = 5;

/**
 * A manual render's claim on today's count: one conditional update that only lands if nobody
 * changed the counter since it was read, so two renders at once never both take the day's last
 * allowed group. Past `max_per_day` it refuses unless `force`. The claim carries the group's
 * `rendering` row, written in the same transaction.
 */
export async function claimDaySlot(
  rows: Rows,
  sessionId: string,
  o: { now: Date; timeZone: string; force: boolean },
): Promise<Claim> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [session] = await rows.select('media_sessions', { where: { id: sessionId } });
    if (!session) throw new UsageError(`no session ${sessionId}`, { hint: 'see slides session list' });
    const today = createdToday(session, o.now, o.timeZone);
    if (!o.force && session.max_per_day !== null && today >= session.max_per_day) {
      const next = nextLocalDayStart(o.now, o.timeZone);
      throw new DayCapReached(
        `the session already has ${today} of its ${session.max_per_day} groups for today; the next one is allowed at ${wallClockWithZone(next, o.timeZone)}`,
      );
    }
    const claim = await claimGroup(rows, session, { now: o.now, createdPerDay: today + 1, requireActive: false });
    if (claim) return claim;
  }
  throw new SlidesError(`the session ${sessionId} kept changing while claiming today's group`, {
    hint: 'another slides command is rendering it; try again in a minute',
  });
}
