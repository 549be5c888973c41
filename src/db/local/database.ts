import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { SlidesError } from '../../errors.js';
import { applyMigrations, listMigrations, LOCAL_SHIM_FILE, pendingMigrations, type Migration, type SqlSession } from '../migrations.js';
import { toDatabaseError } from './rows.js';

/** PGlite as a SqlSession for the migrations runner (superuser: the shim and DDL need it). */
export function pgliteSession(db: Pick<PGlite, 'exec' | 'query' | 'transaction'>): SqlSession {
  return {
    exec: async (sql) => void (await db.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    transaction: (fn) => db.transaction((tx) => fn(pgliteSession(tx as unknown as PGlite))),
  };
}

/** Opens (creating when absent) a PGlite database: in a folder, or in memory from a dump. */
export async function openPglite(source: { dataDir: string } | { dump: Blob } | { memory: true }): Promise<PGlite> {
  const options = { extensions: { uuid_ossp } };
  const db =
    'dataDir' in source
      ? new PGlite(source.dataDir, options)
      : 'dump' in source
        ? new PGlite({ ...options, loadDataDir: source.dump })
        : new PGlite(options);
  await db.waitReady;
  return db;
}

/**
 * The Supabase stand-ins first (idempotent), then every pending migration. An up-to-date
 * database costs one query, which matters since every command opens it.
 */
export async function migrate(db: PGlite, migrations: Migration[] = listMigrations()): Promise<Migration[]> {
  try {
    const session = pgliteSession(db);
    const shimmed = await db.query<{ ok: boolean }>(`SELECT to_regprocedure('auth.uid()') IS NOT NULL AS ok`);
    if (shimmed.rows[0]?.ok && (await pendingMigrations(session, migrations)).length === 0) return [];
    await db.exec(readFileSync(LOCAL_SHIM_FILE, 'utf8'));
    return await applyMigrations(session, migrations);
  } catch (error) {
    const cause = toDatabaseError(error);
    throw new SlidesError(`the local database could not be migrated: ${(cause as Error).message}`, { cause });
  }
}

export const LOCAL_USER_EMAIL = 'local@slides.invalid';

/** The one user of an embedded database, created on first open. */
export async function ensureLocalUser(db: PGlite): Promise<string> {
  await db.query(
    `INSERT INTO auth.users (id, email) VALUES (gen_random_uuid(), $1) ON CONFLICT (email) DO NOTHING`,
    [LOCAL_USER_EMAIL],
  );
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM auth.users WHERE email = $1`, [LOCAL_USER_EMAIL]);
  return (rows[0] as { id: string }).id;
}
