import type { PGlite, Transaction } from '@electric-sql/pglite';
import { SlidesError } from '../../errors.js';

/** What the embedded rows and storage need of a database: transactions. */
export type Transactor = Pick<PGlite, 'transaction'>;

/** An open database and how to let go of it: close it, then release its folder's lock. */
export interface OpenDatabase {
  db: PGlite;
  release(): Promise<void>;
}

export interface ReopeningDatabase extends Transactor {
  /** Closes the database once the transactions begun have ended; the next one opens it again. */
  suspend(): Promise<void>;
  /** Closes it for good. */
  close(): Promise<void>;
}

/**
 * A database that a command can let go of while a long step runs without it (a render's slides
 * and video), so that other commands can use it meanwhile; its next transaction opens it again.
 */
export function reopeningDatabase(first: OpenDatabase, reopen: () => Promise<OpenDatabase>): ReopeningDatabase {
  let current: Promise<OpenDatabase> | null = Promise.resolve(first);
  let closed = false;
  const running = new Set<Promise<unknown>>();

  function opened(): Promise<OpenDatabase> {
    if (closed) return Promise.reject(new SlidesError('the local database was used after its command closed it'));
    current ??= reopen().catch((error: unknown) => {
      current = null;
      throw error;
    });
    return current;
  }

  async function suspend(): Promise<void> {
    const held = current;
    if (!held) return;
    current = null;
    await Promise.allSettled([...running]);
    const open = await held.catch(() => null);
    if (!open) return;
    try {
      await open.db.close();
    } finally {
      await open.release();
    }
  }

  return {
    transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      const done = opened().then(({ db }) => db.transaction(fn));
      running.add(done);
      const forget = () => running.delete(done);
      done.then(forget, forget);
      return done;
    },
    suspend,
    async close() {
      closed = true;
      await suspend();
    },
  };
}
