import type { PGlite } from '@electric-sql/pglite';
import type { Backend, Identity } from '../backend.js';
import { reopeningDatabase, type OpenDatabase } from './reopening.js';
import { localRows } from './rows.js';
import { localObjectStore } from './storage.js';

/** How a backend opened from its data folder takes the folder's locks again (open.ts). */
export interface DataFolderLocks {
  /** The database's lock, then the database. */
  reopen(): Promise<OpenDatabase>;
  /** The renders' lock; `onWait` is called once should another render hold it. */
  renders(onWait: () => void): Promise<() => Promise<void>>;
}

/**
 * The embedded backend over an open PGlite and a folder of buckets, acting as one user. Given
 * its data folder's locks, it lets go of the database while a long step runs (`suspend`) and
 * opens it again on its next use; without (a database of a test's own), it keeps it open.
 */
export function localBackend(options: {
  db: PGlite;
  userId: string;
  email: string | null;
  storageDir: string;
  onClose?: () => Promise<void>;
  locks?: DataFolderLocks;
}): Backend {
  const identity: Identity = { userId: options.userId, email: options.email, project: 'local' };
  const release = options.onClose ?? (async () => undefined);
  const { locks } = options;
  const database = locks ? reopeningDatabase({ db: options.db, release }, () => locks.reopen()) : null;
  const db = database ?? options.db;
  return {
    kind: 'local',
    identity,
    rows: localRows(db, options.userId),
    storage: localObjectStore(db, options.userId, options.storageDir),
    suspend: async () => database?.suspend(),
    // While it waits, the database is let go of: the render holding the turn needs it to finish.
    renderTurn: async () => (locks && database ? locks.renders(() => void database.suspend().catch(() => undefined)) : async () => undefined),
    async close() {
      if (database) return database.close();
      await options.db.close();
      await release();
    },
  };
}
