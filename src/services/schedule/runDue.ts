import type { Clock } from '../../clock.js';
import type { Rows } from '../../db/backend.js';
import { messageOf } from '../../errors.js';
import { activeSession } from '../sessions/load.js';
import { claimDueSlot, failClaim, type Claim } from './claim.js';
import { appendRunRecord, rotateLog, scheduleLogPath } from './log.js';
import { tryRunLock } from './runLock.js';
import type { ScheduleState } from './slots.js';

/** Renders the claimed slide group; throws when it fails. */
export type RenderGroup<T> = (claim: Claim) => Promise<T>;

export type RunDueOutcome<T, A = never> =
  /** Another run of this profile holds the lock. */
  | { outcome: 'locked' }
  | { outcome: 'no-session' }
  | { outcome: 'not-due'; sessionId: string; schedule: ScheduleState; after?: A }
  /** Another process claimed the slot first. */
  | { outcome: 'taken'; sessionId: string; schedule: ScheduleState; after?: A }
  | { outcome: 'rendered'; sessionId: string; schedule: ScheduleState; result: T; after?: A };

/** Where a scheduled run keeps its lock and log, and what it reads the active session from. */
export interface RunDueDeps {
  /** The profile's state folder: the run lock and schedule.log live there. */
  stateDir: string;
  clock: Clock;
  timeZone: string;
  /** Opened only once the run lock is held. */
  rows: () => Promise<Rows>;
  /** The backend's render turn (Backend.renderTurn), held from before the claim to the render's end. */
  renderTurn: () => Promise<() => Promise<void>>;
  /** The run lock was lost mid-run (its file removed); the database claim still guards the slot. */
  onLockLost?: (error: Error) => void;
}

/**
 * What the scheduler runs: lock → active session → slot math → claim → render. A failed render
 * gives its slot back so a later run retries it, and is rethrown. Every run leaves one record in
 * the schedule log, whatever the output flags.
 */
export interface RunDueOptions<T, A> {
  render: RenderGroup<T>;
  /** One line about a rendered group for the log (default: its JSON). */
  summarize?: (result: T) => string;
  /**
   * What else the run does with the active session once its slot is settled (rendered, not due or
   * taken), still under the run lock: publishing the groups that wait. Its line joins the log record.
   */
  after?: { run: (sessionId: string) => Promise<A>; summarize: (after: A) => string };
}

export async function runDue<T, A = never>(deps: RunDueDeps, options: RunDueOptions<T, A>): Promise<RunDueOutcome<T, A>> {
  const log = scheduleLogPath(deps.stateDir);
  rotateLog(log);
  const record = (outcome: string, detail = '') => appendRunRecord(log, { at: deps.clock.now(), outcome, detail });
  const lock = await tryRunLock(deps.stateDir, { onCompromised: (error) => deps.onLockLost?.(error) });
  if (!lock) {
    record('locked', 'another run of this profile is still going');
    return { outcome: 'locked' };
  }
  let failedSlot = '';
  try {
    const outcome: RunDueOutcome<T, A> = await claimAndRender(deps, options.render, (note) => (failedSlot = note));
    let detail = describe(outcome, options.summarize ?? ((result) => JSON.stringify(result)));
    if (options.after && 'sessionId' in outcome) {
      outcome.after = await options.after.run(outcome.sessionId);
      detail = `${detail}; ${options.after.summarize(outcome.after)}`;
    }
    record(outcome.outcome, detail);
    return outcome;
  } catch (error) {
    record('failed', `${messageOf(error)}${failedSlot}`);
    throw error;
  } finally {
    await lock.release();
  }
}

async function claimAndRender<T>(
  deps: RunDueDeps,
  render: RenderGroup<T>,
  onRenderFailed: (note: string) => void,
): Promise<RunDueOutcome<T>> {
  const rows = await deps.rows();
  const { timeZone } = deps;
  // Taken first: a wait for another render's turn must not leave this run with a stale session.
  const release = await deps.renderTurn();
  try {
    const session = await activeSession(rows);
    if (!session) return { outcome: 'no-session' };
    const claim = await claimDueSlot(rows, session, { now: deps.clock.now(), timeZone });
    if (claim.status !== 'claimed') return { outcome: claim.status, sessionId: session.id, schedule: claim.schedule };
    try {
      const result = await render({ session: claim.session, group: claim.group });
      return { outcome: 'rendered', sessionId: session.id, schedule: claim.schedule, result };
    } catch (error) {
      const note = await failClaim(rows, claim, messageOf(error), { now: deps.clock.now(), timeZone }).then(
        (released) => (released === 'released' ? 'slot given back' : 'nothing (more) to give back'),
        (e: unknown) => `slot NOT given back: ${messageOf(e)}`,
      );
      onRenderFailed(` (session=${session.id}; ${note})`);
      throw error;
    }
  } finally {
    await release();
  }
}

function describe<T, A>(outcome: RunDueOutcome<T, A>, summarize: (result: T) => string): string {
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
