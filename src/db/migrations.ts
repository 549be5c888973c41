import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DatabaseError } from '../errors.js';

/** supabase/migrations and the local shim, found from src/ and dist/ alike. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../supabase/migrations/', import.meta.url));
export const LOCAL_SHIM_FILE = fileURLToPath(new URL('../../supabase/local-shim.sql', import.meta.url));

export interface Migration {
  /** The digits before the first underscore, as the Supabase CLI reads them. */
  version: string;
  name: string;
  file: string;
  sql: string;
}

/** The migrations in the order they apply (by version, as the Supabase CLI orders them). */
export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d+)_(.+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: m[1] as string, name: m[2] as string, file: m[0], sql: readFileSync(join(dir, m[0]), 'utf8') }))
    .sort((a, b) => (BigInt(a.version) < BigInt(b.version) ? -1 : BigInt(a.version) > BigInt(b.version) ? 1 : 0));
}

/** What both the PGlite backend and a real PostgreSQL driver offer to the runner. */
export interface SqlSession {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

/** The Supabase CLI's own history table, so `supabase migration list` and slides agree. */
const HISTORY_DDL = `
  CREATE SCHEMA IF NOT EXISTS supabase_migrations;
  CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (
    version TEXT PRIMARY KEY,
    statements TEXT[],
    name TEXT
  );`;

export async function appliedVersions(db: SqlSession): Promise<Set<string>> {
  await db.exec(HISTORY_DDL);
  const rows = await db.query<{ version: string }>('SELECT version FROM supabase_migrations.schema_migrations');
  return new Set(rows.map((r) => r.version));
}

export async function pendingMigrations(db: SqlSession, all: Migration[] = listMigrations()): Promise<Migration[]> {
  const applied = await appliedVersions(db);
  return all.filter((m) => !applied.has(m.version));
}

/** A migration the database refused; the ones before it (`applied`) stay applied. */
export class MigrationFailed extends DatabaseError {
  constructor(
    readonly migration: Migration,
    readonly applied: readonly Migration[],
    cause: unknown,
  ) {
    const e = cause as { message?: string; code?: string };
    super(`${migration.file} failed: ${e.message ?? String(cause)}`, e.code, {
      hint: `nothing of ${migration.file} was applied${applied.length ? `; ${applied.length} earlier migration(s) were` : ''}`,
      cause,
    });
  }
}

export type MigrationEvent = { migration: Migration; status: 'start' | 'done' | 'failed' };

/**
 * Applies each pending migration in its own transaction with its history row, so a failing
 * migration leaves the database as the previous one left it. The runner of both backends: the
 * embedded database on open, `slides db push` on a Supabase Postgres.
 */
export async function applyMigrations(
  db: SqlSession,
  all: Migration[] = listMigrations(),
  onProgress: (event: MigrationEvent) => void = () => undefined,
): Promise<Migration[]> {
  const pending = await pendingMigrations(db, all);
  const applied: Migration[] = [];
  for (const migration of pending) {
    onProgress({ migration, status: 'start' });
    try {
      await db.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query(
          'INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES ($1, $2, $3)',
          [migration.version, migration.name, [migration.sql]],
        );
      });
    } catch (error) {
      onProgress({ migration, status: 'failed' });
      throw new MigrationFailed(migration, applied, error);
    }
    applied.push(migration);
    onProgress({ migration, status: 'done' });
  }
  return applied;
}

/** What would apply, looked at inside a transaction that is rolled back (the history table may not exist yet). */
export async function previewMigrations(db: SqlSession, all: Migration[] = listMigrations()): Promise<Migration[]> {
  await db.exec('BEGIN');
  try {
    return await pendingMigrations(db, all);
  } finally {
    await db.exec('ROLLBACK');
  }
}
