import type { PGlite } from '@electric-sql/pglite';
import type { Backend, Identity } from '../backend.js';
import { localRows } from './rows.js';
import { localObjectStore } from './storage.js';

/** The embedded backend over an open PGlite and a folder of buckets, acting as one user. */
export function localBackend(options: {
  db: PGlite;
  userId: string;
  email: string | null;
  storageDir: string;
  onClose?: () => Promise<void>;
}): Backend {
  const identity: Identity = { userId: options.userId, email: options.email, project: 'local' };
  return {
    kind: 'local',
    identity,
    rows: localRows(options.db, options.userId),
    storage: localObjectStore(options.db, options.userId, options.storageDir),
    async close() {
      await options.db.close();
      await options.onClose?.();
    },
  };
}
