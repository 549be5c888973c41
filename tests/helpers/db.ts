import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import { localBackend } from '../../src/db/local/backend.js';
import type { Backend } from '../../src/db/backend.js';

export interface TestDatabase {
  db: PGlite;
  storageDir: string;
  /** A new auth.users row and a backend acting as that user. */
  user(email?: string): Promise<Backend>;
  close(): Promise<void>;
}

/** A private copy of the migrated template database, in memory, with a temp folder for buckets. */
export async function testDatabase(): Promise<TestDatabase> {
  const dump = new Blob([readFileSync(inject('pgTemplate'))]);
  const db = await openPglite({ dump });
  const storageDir = mkdtempSync(join(tmpdir(), 'slides-storage-'));
  return {
    db,
    storageDir,
    async user(email = `${randomUUID()}@test.invalid`) {
      const id = randomUUID();
      await db.query('INSERT INTO auth.users (id, email) VALUES ($1, $2)', [id, email]);
      return localBackend({ db, userId: id, email, storageDir });
    },
    async close() {
      await db.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
