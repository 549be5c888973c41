import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import { AuthError, BackendUnavailable, DatabaseError, UsageError } from '../../errors.js';

export interface DbPushOptions {
  dbUrl?: string;
  dryRun?: boolean;
}

export interface DbPushResult {
  database: string;
  dryRun: boolean;
  /** Versions applied (or, with --dry-run, that would be). */
  migrations: Array<{ version: string; name: string }>;
}

export const register: Register = (parent, run) => {
  parent
    .command('push')
    .description('apply pending migrations to your Supabase Postgres, recorded as the Supabase CLI records them')
    .option('--db-url <url>', 'postgres:// connection string (default: SUPABASE_DB_URL); Project Settings > Database')
    .option('--dry-run', 'list the migrations that would run, change nothing')
    .addHelpText('after', '\nExample:\n  SUPABASE_DB_URL=postgresql://postgres:…@db.abcd.supabase.co:5432/postgres slides db push --dry-run')
    .action(
      run(async (ctx, flags: DbPushOptions) => {
        await runDbPush(flags, ctx);
      }),
    );
};

/** Names the server and database without the password a connection string carries. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    throw new UsageError('--db-url is not a postgres:// connection string');
  }
}

function connectError(database: string, error: unknown): Error {
  const e = error as { code?: string; message?: string };
  if (e.code === '28P01' || e.code === '28000') {
    return new AuthError(`${database} refused the credentials in the connection string`, { hint: 'copy it again from Project Settings > Database' });
  }
  return new BackendUnavailable(`cannot connect to ${database}: ${e.message ?? String(error)}`, { hint: 'check --db-url / SUPABASE_DB_URL and the network' });
}

export async function runDbPush(o: DbPushOptions, ctx: Pick<Context, 'io' | 'env'>): Promise<DbPushResult> {
  const url = o.dbUrl ?? ctx.env.SUPABASE_DB_URL;
  if (!url) throw new UsageError('no database to push to', { hint: 'pass --db-url postgresql://… or set SUPABASE_DB_URL' });
  const database = describe(url);
  const { default: pg } = await import('pg');
  const { applyMigrations, listMigrations, pendingMigrations } = await import('../../db/migrations.js');
  const { pgSession } = await import('../../db/supabase/pg.js');
  const client = new pg.Client({ connectionString: url, application_name: 'slides db push' });
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
    if (o.dryRun) {
      // The history table may not exist yet: look inside a transaction that is rolled back.
      await client.query('BEGIN');
      let pending;
      try {
        pending = await pendingMigrations(db, all);
      } finally {
        await client.query('ROLLBACK');
      }
      return report(ctx, { database, dryRun: true, migrations: pending.map(({ version, name }) => ({ version, name })) });
    }
    const applied: DbPushResult['migrations'] = [];
    for (const migration of await pendingMigrations(db, all)) {
      const progress = ctx.io.progress(`applying ${migration.file}`);
      try {
        await applyMigrations(db, [migration]);
        progress.succeed(`applied ${migration.file}`);
      } catch (error) {
        progress.fail(`${migration.file} failed`);
        const e = error as { message?: string; code?: string };
        throw new DatabaseError(`${migration.file} failed on ${database}: ${e.message ?? String(error)}`, e.code, {
          hint: `nothing of ${migration.file} was applied${applied.length ? `; ${applied.length} earlier migration(s) were` : ''}`,
          cause: error,
        });
      }
      applied.push({ version: migration.version, name: migration.name });
    }
    return report(ctx, { database, dryRun: false, migrations: applied });
  } finally {
    await client.end().catch(() => undefined);
  }
}

function report(ctx: Pick<Context, 'io'>, result: DbPushResult): DbPushResult {
  if (ctx.io.json) {
    ctx.io.printJson(result);
    return result;
  }
  if (result.migrations.length === 0) {
    ctx.io.out(`${result.database} is up to date.`);
    return result;
  }
  ctx.io.out(result.dryRun ? `Would apply to ${result.database}:` : `Applied to ${result.database}:`);
  for (const m of result.migrations) ctx.io.out(`  ${m.version}_${m.name}`);
  return result;
}
