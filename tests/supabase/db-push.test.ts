import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDbPush } from '../../src/commands/db/push.js';
import { listMigrations } from '../../src/db/migrations.js';
import { BackendUnavailable, EXIT, exitCodeOf } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';
import { skipWithout } from '../helpers/tools.js';
import { freePort, NO_POSTGRES, POSTGRES_BIN, startPostgres, type PostgresServer } from '../helpers/postgres.js';

describe.skipIf(skipWithout('PostgreSQL', POSTGRES_BIN !== null, 'apt-get install -y postgresql'))(`slides db push against a real PostgreSQL server${POSTGRES_BIN ? '' : ` (skipped: ${NO_POSTGRES})`}`, () => {
  let server: PostgresServer;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    url = server.url;
  });
  afterAll(() => server?.stop());
  const query = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => server.query<T>(sql, params);
  const asUser = <T extends pg.QueryResultRow>(uid: string, sql: string, params: unknown[] = []) => server.asUser<T>(uid, sql, params);

  test('--dry-run lists every migration and changes nothing', async () => {
    const { ctx, output } = testContext();
    const result = await runDbPush({ dbUrl: url, dryRun: true }, ctx);
    expect(result.migrations.map((m) => m.version)).toEqual(listMigrations().map((m) => m.version));
    expect(output.stdout).toContain('Would apply');
    expect(output.stdout).not.toContain('unused');
    expect(await query(`SELECT to_regclass('supabase_migrations.schema_migrations') AS t`)).toEqual([{ t: null }]);
  });

  test('applies the pending migrations, records them as the Supabase CLI does, then has nothing to do', async () => {
    const { ctx } = testContext({ env: { SUPABASE_DB_URL: url } });
    const result = await runDbPush({}, ctx);
    const all = listMigrations();
    expect(result.migrations.map((m) => m.version)).toEqual(all.map((m) => m.version));
    const history = await query<{ version: string; name: string; statements: string[] }>(
      'SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version',
    );
    expect(history.map((h) => [h.version, h.name])).toEqual(all.map((m) => [m.version, m.name]));
    expect(history[0]?.statements.join('')).toBe(all[0]?.sql);
    const again = testContext();
    expect((await runDbPush({ dbUrl: url }, again.ctx)).migrations).toEqual([]);
    expect(again.output.stdout).toContain('up to date');
  });

  test('on the pushed schema, RLS keeps two users apart (rows, cross-user links, storage folders)', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    await query('INSERT INTO auth.users (id, email) VALUES ($1, $2), ($3, $4)', [alice, 'alice@test.invalid', bob, 'bob@test.invalid']);
    const [file] = await asUser<{ id: string; user_id: string }>(
      alice,
      `INSERT INTO source_files (file_path, file_type, sha256) VALUES ($1, 'image', $2) RETURNING id, user_id`,
      [`${alice}/a.jpg`, 'a'.repeat(64)],
    );
    expect(file?.user_id).toBe(alice);
    expect(await asUser(bob, 'SELECT id FROM source_files')).toEqual([]);
    const [session] = await asUser<{ id: string }>(bob, 'INSERT INTO media_sessions (is_active) VALUES (true) RETURNING id');
    await expect(
      asUser(bob, `INSERT INTO session_media_items (session_id, source_file_id, position, media_type) VALUES ($1, $2, 0, 'image')`, [session?.id, file?.id]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(bob, `INSERT INTO media_sessions (is_active) VALUES (true)`)).rejects.toMatchObject({ code: '23505' });
    await expect(
      asUser(bob, `INSERT INTO storage.objects (bucket_id, name) VALUES ('Sources', $1)`, [`${alice}/planted.jpg`]),
    ).rejects.toMatchObject({ code: '42501' });
    await asUser(alice, `INSERT INTO storage.objects (bucket_id, name) VALUES ('Sources', $1)`, [`${alice}/mine.jpg`]);
    expect(await asUser(bob, `SELECT name FROM storage.objects`)).toEqual([]);
  });

  test('an unreachable database is BackendUnavailable (exit 5), the password never printed', async () => {
    const { ctx } = testContext();
    const error = await runDbPush({ dbUrl: `postgresql://postgres:s3cret@127.0.0.1:${await freePort()}/postgres` }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(exitCodeOf(error)).toBe(EXIT.unavailable);
    expect((error as Error).message).not.toContain('s3cret');
  });
});
