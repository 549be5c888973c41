import { AuthError, BackendUnavailable, UsageError } from '../../errors.js';
import { applyMigrations, listMigrations, previewMigrations, type MigrationEvent } from '../../db/migrations.js';

export interface PushResult {
  /** Host, port and database: the connection string without its credentials. */
  database: string;
  /** How the connection was encrypted: the URL's own sslmode, `require` by default, none on loopback. */
  tls: string;
  dryRun: boolean;
  /** Versions applied (or, in a dry run, that would be). */
  migrations: Array<{ version: string; name: string }>;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * The connection string node-postgres gets: `sslmode=require` unless the URL sets its own or the
 * host is this machine, and libpq's meaning of sslmode (require encrypts without verifying, as
 * psql and the Supabase CLI do) rather than node-postgres's older one.
 */
export function pushConnection(url: string): { connectionString: string; database: string; tls: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError('the database URL is not a postgres:// connection string', { hint: 'copy it from Project Settings > Database' });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UsageError(`the database URL starts with ${u.protocol}, not postgres://`, { hint: 'copy it from Project Settings > Database' });
  }
  const database = `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  const given = u.searchParams.get('sslmode');
  const tls = given ?? (LOOPBACK.test(u.hostname) ? 'disable' : 'require');
  u.searchParams.set('sslmode', tls);
  if (!u.searchParams.has('uselibpqcompat')) u.searchParams.set('uselibpqcompat', 'true');
  return { connectionString: u.toString(), database, tls };
}

function connectError(database: string, error: unknown): Error {
  const e = error as { code?: string; message?: string };
  if (e.code === '28P01' || e.code === '28000') {
    return new AuthError(`${database} refused the credentials in the connection string`, { hint: 'copy it again from Project Settings > Database' });
  }
  return new BackendUnavailable(`cannot connect to ${database}: ${e.message ?? String(error)}`, {
    hint: 'check the connection string and the network',
  });
}

/**
 * Applies the pending migrations to a Supabase Postgres with a real driver, recorded in
 * `supabase_migrations.schema_migrations` as the Supabase CLI records them.
 */
export async function pushMigrations(
  url: string,
  o: { dryRun: boolean; onProgress?: (event: MigrationEvent) => void },
): Promise<PushResult> {
  const { connectionString, database, tls } = pushConnection(url);
  const { default: pg } = await import('pg');
  const { pgSession } = await import('../../db/supabase/pg.js');
  const client = new pg.Client({ connectionString, application_name: 'slides db push' });
  // A dropped connection surfaces on the query that uses it; this only keeps it from crashing the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw connectError(database, error);
  }
  try {
    const db = pgSession(client);
    const all = listMigrations();
    const migrations = o.dryRun ? await previewMigrations(db, all) : await applyMigrations(db, all, o.onProgress);
    return { database, tls, dryRun: o.dryRun, migrations: migrations.map(({ version, name }) => ({ version, name })) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
