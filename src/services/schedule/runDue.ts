import type { Context } from '../../context.js';
import { messageOf } from '../../errors.js';
import { activeSession } from '../sessions/load.js';
import { claimDueSlot, failClaim, type Claim } from './claim.js';
import { appendRunRecord, rotateLog, scheduleLogPath } from './log.js';
import { tryRunLock } from './runLock.js';
import type { ScheduleState } from './slots.js';

/** Renders the claimed slide group; throws when it fails. */
export type RenderGroup<T> = (claim: Claim) => Promise<T>;

export type RunDueOutcome<T> =
  /** Another run of this profile holds the lock. */
  | { outcome: 'locked' }
  | { outcome: 'no-session' }
  | { outcome: 'not-due'; sessionId: string; schedule: ScheduleState }
  /** Another process claimed the slot first. */
  | { outcome: 'taken'; sessionId: string; schedule: ScheduleState }
  | { outcome: 'rendered'; sessionId: string; schedule: ScheduleState; result: T };

type RunDueContext = Pick<Context, 'io' | 'clock' | 'paths' | 'config' | 'backend'>;

/**
 * What the scheduler runs: lock → active session → slot math → claim → render. A failed render
 * gives its slot back so a later run retries it, and is rethrown. Every run leaves one record in
 * the schedule log, whatever the output flags.
 */
export interface RunDueOptions<T> {
  render: RenderGroup<T>;
  /** One line about a rendered group for the log (default: its JSON). */
  summarize?: (result: T) => string;
}

export async function runDue<T>(ctx: RunDueContext, options: RunDueOptions<T>): Promise<RunDueOutcome<T>> {
  const log = scheduleLogPath(ctx.paths.state);
  rotateLog(log);
  const record = (outcome: string, detail = '') => appendRunRecord(log, { at: ctx.clock.now(), outcome, detail });
  const lock = await tryRunLock(ctx.paths.state, {
    onCompromised: (error) => ctx.io.warn(`the run lock was lost (${error.message}); the database claim still guards the slot`),
  });
  if (!lock) {
    record('locked', 'another run of this profile is still going');
    return { outcome: 'locked' };
  }
  let failedSlot = '';
  try {
    const outcome = await claimAndRender(ctx, options.render, (note) => (failedSlot = note));
    record(outcome.outcome, describe(outcome, options.summarize ?? ((result) => JSON.stringify(result))));
    return outcome;
  } catch (error) {
    record('failed', `${messageOf(error)}${failedSlot}`);
    throw error;
  } finally {
    await lock.release();
  }
}

async function claimAndRender<T>(
  ctx: RunDueContext,
  render: RenderGroup<T>,
  onRenderFailed: (note: string) => void,
): Promise<RunDueOutcome<T>> {
  const { rows } = await ctx.backend();
  const session = await activeSession(rows);
  if (!session) return { outcome: 'no-session' };
  const timeZone = ctx.config.timeZone();
  const claim = await claimDueSlot(rows, session, { now: ctx.clock.now(), timeZone });
  if (claim.status !== 'claimed') return { outcome: claim.status, sessionId: session.id, schedule: claim.schedule };
  try {
    const result = await render({ session: claim.session, group: claim.group });
    return { outcome: 'rendered', sessionId: session.id, schedule: claim.schedule, result };
  } catch (error) {
    const note = await failClaim(rows, claim, messageOf(error), { now: ctx.clock.now(), timeZone }).then(
      (released) => (released === 'released' ? 'slot given back' : 'nothing (more) to give back'),
      (e: unknown) => `slot NOT given back: ${messageOf(e)}`,
    );
    onRenderFailed(` (session=${session.id}; ${note})`);
    throw error;
  }
}

function describe<T>(outcome: RunDueOutcome<T>, summarize: (result: T) => string): string {
  switch (outcome.outcome) {
    case 'locked':
    case 'no-session':
      return '';
    case 'not-due':
      return `session=${outcome.sessionId} ${outcome.schedule.reason} next=${outcome.schedule.nextDueAt?.toISOString() ?? 'never'}`;
    case 'taken':
      return `session=${outcome.sessionId} another process claimed the slot`;
    case 'rendered':
      return `session=${outcome.sessionId} ${summarize(outcome.result)}`;
  }
}
