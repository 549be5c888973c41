import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { migrate, openPglite, pgliteSession } from '../../src/db/local/database.js';
import { localBackend } from '../../src/db/local/backend.js';
import { LOCAL_SHIM_FILE, applyMigrations, listMigrations } from '../../src/db/migrations.js';
import { runDbCheck } from '../../src/commands/db/check.js';
import { checkSchema } from '../../src/services/db/schemaCheck.js';
import { testContext } from '../helpers/context.js';
import { runCli } from '../helpers/cli.js';
import { testDatabase } from '../helpers/db.js';

let open: PGlite[] = [];
afterEach(async () => {
  await Promise.all(open.map((db) => db.close()));
  open = [];
});

async function shimOnly(): Promise<PGlite> {
  const db = await openPglite({ memory: true });
  open.push(db);
  await db.exec(readFileSync(LOCAL_SHIM_FILE, 'utf8'));
  return db;
}

async function userOf(db: PGlite) {
  const id = randomUUID();
  await db.query('INSERT INTO auth.users (id, email) VALUES ($1, $2)', [id, `${id}@test.invalid`]);
  return localBackend({ db, userId: id, email: null, storageDir: '/nonexistent' });
}

describe('slides db sql', () => {
  it('prints a script that builds the whole schema on a database with only the Supabase stand-ins, twice over', async () => {
    const { code, stdout } = await runCli(['db', 'sql']);
    expect(code).toBe(0);
    const db = await shimOnly();
    await db.exec(stdout);
    await db.exec(stdout);
    const history = await db.query<{ version: string }>('SELECT version FROM supabase_migrations.schema_migrations ORDER BY version');
    expect(history.rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));

    const { ctx, output } = testContext({ backend: await userOf(db) });
    await runDbCheck(ctx);
    expect(output.stdout).not.toMatch(/FAIL/);
    expect(output.stdout).toMatch(/ok {3}table slide_groups/);
    expect(output.stdout).toMatch(/ok {3}bucket Sources/);
    expect(output.stdout).toMatch(/ok {3}function slides_create_session/);
  });

  it('the runner applies nothing twice and records what the script records', async () => {
    const db = await shimOnly();
    const first = await migrate(db);
    expect(first.map((m) => m.file)).toEqual(listMigrations().map((m) => m.file));
    expect(await migrate(db)).toEqual([]);
  });

  it('a failing migration leaves the database as the previous one left it', async () => {
    const db = await shimOnly();
    const [good] = listMigrations();
    const broken = { version: '9999', name: 'broken', file: '9999_broken.sql', sql: 'CREATE TABLE half_done (id int); SELECT nonsense_fn();' };
    await expect(applyMigrations(pgliteSession(db), [good!, broken])).rejects.toThrow(/nonsense_fn/);
    const tables = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('half_done', 'profiles')");
    expect(tables.rows[0]?.n).toBe(1);
    const history = await db.query<{ version: string }>('SELECT version FROM supabase_migrations.schema_migrations');
    expect(history.rows.map((r) => r.version)).toEqual([good!.version]);
  });
});

describe('slides db check', () => {
  it('names a missing table, column, bucket and functions, and fails with exit code 2', async () => {
    const t = await testDatabase();
    try {
      await t.db.exec(`
        DROP TABLE slide_groups CASCADE;
        ALTER TABLE source_files DROP COLUMN sha256 CASCADE;
        DELETE FROM storage.buckets WHERE id = 'Exports';
        DROP FUNCTION slides_activate_session(UUID);
      `);
      const user = await t.user();
      const results = await checkSchema(user);
      const failed = results.filter((r) => !r.ok).map((r) => r.item);
      expect(failed).toEqual([
        'table source_files',
        'column source_files.sha256',
        'table slide_groups',
        'bucket Exports',
        'function slides_activate_session',
        'function slides_claim_group',
        'function slides_finish_group',
        'function slides_fail_group',
      ]);
      const { ctx } = testContext({ backend: user });
      await expect(runDbCheck(ctx)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining('bucket Exports'),
      });
    } finally {
      await t.close();
    }
  });
});
