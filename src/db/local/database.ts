import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
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

/**
 * Sized for a CLI on a small machine over a database of a few MB (measured by bench/cli.bench.js):
 * the default 128 MB of shared buffers is most of a reopen's ~330 MB peak; 16 MB holds the whole
 * database and brings it to ~215 MB, with less below that (8 MB: -4 MB) not worth the risk.
 * Passed as start parameters, so the data dir's postgresql.conf is left as initdb wrote it.
 */
const SETTINGS = ['shared_buffers=16MB', 'work_mem=4MB', 'wal_buffers=1MB'];

/**
 * V8 compiles PGlite's 9 MB of WebAssembly twice: quickly (Liftoff), then optimised (TurboFan)
 * on other threads. A command's few queries never repay the second: Liftoff alone halves a
 * reopen's CPU time and takes ~85 MB off its peak. Read when the module is compiled, so it must be
 * set before the first PGlite starts; it touches nothing but WebAssembly.
 */
function compileWasmForShortRuns(): void {
  setFlagsFromString('--liftoff-only');
}

/** Opens (creating when absent) a PGlite database: in a folder, or in memory from a dump. */
export async function openPglite(source: { dataDir: string } | { dump: Blob } | { memory: true }): Promise<PGlite> {
  compileWasmForShortRuns();
  const options = {
    extensions: { uuid_ossp },
    startParams: [...PGlite.defaultStartParams, ...SETTINGS.flatMap((setting) => ['-c', setting])],
  };
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

/**
 * The one user of an embedded database, created on first open. Looked up first: every command
 * opens the database, and one that only reads then writes nothing, so its close has nothing to
 * flush.
 */
export async function ensureLocalUser(db: PGlite): Promise<string> {
  const find = async () => (await db.query<{ id: string }>(`SELECT id FROM auth.users WHERE email = $1`, [LOCAL_USER_EMAIL])).rows[0]?.id;
  const existing = await find();
  if (existing) return existing;
  await db.query(
    `INSERT INTO auth.users (id, email) VALUES (gen_random_uuid(), $1) ON CONFLICT (email) DO NOTHING`,
    [LOCAL_USER_EMAIL],
  );
  return (await find()) as string;
}
