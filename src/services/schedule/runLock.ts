import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export interface RunLock {
  release(): Promise<void>;
}

export interface RunLockOptions {
  /** Called when the lock was lost mid-run (its file was removed or went stale). */
  onCompromised?: (error: Error) => void;
}

/** The lock is a directory whose mtime its holder refreshes; older than this, its holder is dead. */
const STALE_MS = 60_000;
const UPDATE_MS = 10_000;

export function runLockPath(stateDir: string): string {
  return join(stateDir, 'run.lock');
}

/**
 * Takes the one-run-at-a-time lock of a profile without waiting: null when another run holds it.
 * It only spares the machine overlapping runs; the database claim is what makes a slot run once,
 * so a lock lost mid-run is reported, not fatal.
 */
export async function tryRunLock(stateDir: string, options: RunLockOptions = {}): Promise<RunLock | null> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  try {
    const release = await lockfile.lock(stateDir, {
      lockfilePath: runLockPath(stateDir),
      realpath: false,
      retries: 0,
      stale: STALE_MS,
      update: UPDATE_MS,
      onCompromised: options.onCompromised ?? (() => {}),
    });
    return { release };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOCKED') return null;
    throw error;
  }
}
