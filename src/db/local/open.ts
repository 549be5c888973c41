import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BackendUnavailable, messageOf } from '../../errors.js';
import type { Backend } from '../backend.js';
import { localBackend } from './backend.js';
import { lockDataDir } from './dataDirLock.js';
import { ensureLocalUser, LOCAL_USER_EMAIL, migrate, openPglite } from './database.js';

/** What opening the embedded database reports; the command layer turns these into spinners and lines. */
export type LocalDbEvent =
  /** Another slides command holds the data folder; `done` once it let go (or the wait failed). */
  | { type: 'lockWait'; status: 'start' | 'done' }
  /** The data folder's lock was taken from this process while it ran. */
  | { type: 'lockLost'; error: Error }
  /** No database yet: it is created and migrated (the first start only). */
  | { type: 'firstStart'; status: 'start' | 'done' | 'failed' }
  | { type: 'migrationApplied'; file: string };

export interface LocalBackendOptions {
  /** The profile's data folder: the database goes in db/, the buckets in storage/. */
  dataRoot: string;
  onEvent?: (event: LocalDbEvent) => void;
}

export async function openLocalBackend(o: LocalBackendOptions): Promise<Backend> {
  const { dataRoot } = o;
  const report = o.onEvent ?? (() => undefined);
  const dataDir = join(dataRoot, 'db');
  mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  let waited = false;
  try {
    release = await lockDataDir(dataRoot, {
      onWait: () => {
        waited = true;
        report({ type: 'lockWait', status: 'start' });
      },
      onCompromised: (error) => report({ type: 'lockLost', error }),
    });
  } catch (error) {
    throw new BackendUnavailable(`the local database at ${dataDir} is busy: ${messageOf(error)}`, {
      hint: 'wait for the other slides command to finish',
    });
  } finally {
    if (waited) report({ type: 'lockWait', status: 'done' });
  }
  const firstRun = !existsSync(dataDir);
  if (firstRun) report({ type: 'firstStart', status: 'start' });
  try {
    const db = await openPglite({ dataDir }).catch((error: unknown) => {
      throw new BackendUnavailable(`the local database at ${dataDir} could not be opened: ${messageOf(error)}`);
    });
    try {
      const applied = await migrate(db);
      for (const m of applied) report({ type: 'migrationApplied', file: m.file });
      const userId = await ensureLocalUser(db);
      if (firstRun) report({ type: 'firstStart', status: 'done' });
      return localBackend({
        db,
        userId,
        email: LOCAL_USER_EMAIL,
        storageDir: join(dataRoot, 'storage'),
        onClose: release,
      });
    } catch (error) {
      await db.close();
      throw error;
    }
  } catch (error) {
    if (firstRun) report({ type: 'firstStart', status: 'failed' });
    await release();
    throw error;
  }
}
