import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BackendUnavailable, messageOf } from '../../errors.js';
import type { Backend } from '../backend.js';
import { localBackend } from './backend.js';
import type { OpenDatabase } from './reopening.js';
import { lockDataDir, type LockOptions, type Release } from './dataDirLock.js';
import { ensureLocalUser, LOCAL_USER_EMAIL, migrate, openPglite } from './database.js';

/** What opening the embedded database reports; the command layer turns these into spinners and lines. */
export type LocalDbEvent =
  /** Another slides command holds the data folder; `done` once it let go (or the wait failed). */
  | { type: 'lockWait'; status: 'start' | 'done' }
  /** Another render of this data folder is running: `done` once it finished (or the wait failed). */
  | { type: 'renderWait'; status: 'start' | 'done' }
  /** The data folder's lock was taken from this process while it ran. */
  | { type: 'lockLost'; error: Error }
  /** No database yet: it is created and migrated (the first start only). */
  | { type: 'firstStart'; status: 'start' | 'done' | 'failed' }
  | { type: 'migrationApplied'; file: string };

/**
 * A render of 100 slides and its video takes minutes on a small machine: waited for up to 30.
 * So is the database by a backend taking it again after a suspend, a render's work at stake.
 */
const LONG_WAIT_MS = 30 * 60_000;

export interface LocalBackendOptions {
  /** The profile's data folder: the database goes in db/, the buckets in storage/. */
  dataRoot: string;
  onEvent?: (event: LocalDbEvent) => void;
}

export async function openLocalBackend(o: LocalBackendOptions): Promise<Backend> {
  mkdirSync(o.dataRoot, { recursive: true, mode: 0o700 });
  const report = o.onEvent ?? (() => undefined);
  let firstRun = false;
  try {
    const opened = await takeDatabase(o, {
      opening: (created) => {
        firstRun = created;
        if (created) report({ type: 'firstStart', status: 'start' });
      },
    });
    try {
      const applied = await migrate(opened.db);
      for (const m of applied) report({ type: 'migrationApplied', file: m.file });
      const userId = await ensureLocalUser(opened.db);
      if (firstRun) report({ type: 'firstStart', status: 'done' });
      return localBackend({
        db: opened.db,
        userId,
        email: LOCAL_USER_EMAIL,
        storageDir: join(o.dataRoot, 'storage'),
        onClose: opened.release,
        locks: {
          reopen: () =>
            takeDatabase(o, {
              opening: (created) => {
                if (created) throw new Error('its folder is gone');
              },
              timeoutMs: LONG_WAIT_MS,
            }),
          renders: (onWait) => takeRenderTurn(o, onWait),
        },
      });
    } catch (error) {
      await opened.db.close();
      await opened.release();
      throw error;
    }
  } catch (error) {
    if (firstRun) report({ type: 'firstStart', status: 'failed' });
    throw error;
  }
}

/** The data folder's renders lock: waited for, for as long as another render may take. */
async function takeRenderTurn(o: LocalBackendOptions, onWait: () => void): Promise<Release> {
  try {
    return await takeLock(o, 'renderWait', { name: 'renders', timeoutMs: LONG_WAIT_MS, onWait });
  } catch (error) {
    throw new BackendUnavailable(`another render of ${o.dataRoot} is still running: ${messageOf(error)}`, {
      hint: 'wait for it to finish, then render again',
    });
  }
}

/**
 * The data folder's lock, then its database: held until released, by this process alone.
 * `opening` learns, once the lock is held, whether the database is about to be created.
 */
async function takeDatabase(
  o: LocalBackendOptions,
  take: { opening?: (created: boolean) => void; timeoutMs?: number },
): Promise<OpenDatabase> {
  const dataDir = join(o.dataRoot, 'db');
  let release: Release;
  try {
    release = await takeLock(o, 'lockWait', { timeoutMs: take.timeoutMs });
  } catch (error) {
    throw new BackendUnavailable(`the local database at ${dataDir} is busy: ${messageOf(error)}`, {
      hint: 'wait for the other slides command to finish',
    });
  }
  try {
    take.opening?.(!existsSync(dataDir));
    const db = await openPglite({ dataDir });
    return { db, release };
  } catch (error) {
    await release();
    throw new BackendUnavailable(`the local database at ${dataDir} could not be opened: ${messageOf(error)}`);
  }
}

/** One of the data folder's locks (dataDirLock.ts), a wait for it reported as `event`. */
async function takeLock(
  o: LocalBackendOptions,
  event: 'lockWait' | 'renderWait',
  lock: Pick<LockOptions, 'name' | 'timeoutMs'> & { onWait?: () => void },
): Promise<Release> {
  const report = o.onEvent ?? (() => undefined);
  let waited = false;
  try {
    return await lockDataDir(o.dataRoot, {
      ...lock,
      onWait: () => {
        waited = true;
        lock.onWait?.();
        report({ type: event, status: 'start' });
      },
      onCompromised: (error) => report({ type: 'lockLost', error }),
    });
  } finally {
    if (waited) report({ type: event, status: 'done' });
  }
}
