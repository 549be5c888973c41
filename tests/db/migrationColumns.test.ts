import { describe, expect, it } from 'vitest';
import { migrationColumns } from '../../src/db/migrationColumns.js';
import { listMigrations, type Migration } from '../../src/db/migrations.js';
import { checkSchema } from '../../src/services/db/schemaCheck.js';
import { testDatabase } from '../helpers/db.js';

const sql = (text: string) => ({ sql: text });

describe('the columns the migrations define', () => {
  it('are exactly the public columns of a database the migrations built', async () => {
    const t = await testDatabase();
    try {
      const { rows } = await t.db.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
      );
      const live = new Map<string, string[]>();
      for (const r of rows) live.set(r.table_name, [...(live.get(r.table_name) ?? []), r.column_name]);
      const derived = migrationColumns(listMigrations());
      expect(Object.fromEntries([...derived].map(([t, c]) => [t, [...c].sort()]))).toEqual(
        Object.fromEntries([...live].map(([t, c]) => [t, [...c].sort()])),
      );
    } finally {
      await t.close();
    }
  });

  it('follow ADD, DROP and RENAME COLUMN and RENAME TO, and skip constraints, comments, strings and function bodies', () => {
    const columns = migrationColumns([
      sql(`-- CREATE TABLE commented_out (x int);
        CREATE TABLE IF NOT EXISTS public.things (
          id UUID PRIMARY KEY, "Label" TEXT DEFAULT 'a, b', size NUMERIC(10, 2),
          CONSTRAINT size_positive CHECK (size > 0), UNIQUE (id, size)
        );
        CREATE TABLE storage.elsewhere (id int);`),
      sql(`ALTER TABLE things ADD COLUMN note TEXT, ADD COLUMN IF NOT EXISTS kind TEXT CHECK (kind IN ('x', 'y')), ADD CONSTRAINT k UNIQUE (kind);
        ALTER TABLE things DROP COLUMN size, DROP CONSTRAINT size_positive;
        ALTER TABLE things RENAME COLUMN note TO notes;
        ALTER TABLE things ENABLE ROW LEVEL SECURITY;
        CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN CREATE TABLE inside (y int); ALTER TABLE things ADD COLUMN nope int; END $fn$;
        ALTER TABLE things RENAME TO items;`),
    ]);
    expect([...columns]).toEqual([['items', ['id', 'Label', 'notes', 'kind']]]);
  });

  it('a column a new migration adds is required by slides db check without touching schemaCheck', async () => {
    const t = await testDatabase();
    try {
      const user = await t.user();
      const migrations = listMigrations();
      expect((await checkSchema(user, migrations)).filter((r) => !r.ok)).toEqual([]);
      const next: Migration = { version: '9999', name: 'planted', file: '9999_planted.sql', sql: 'ALTER TABLE slide_groups ADD COLUMN planted_column TEXT;' };
      const failed = (await checkSchema(user, [...migrations, next])).filter((r) => !r.ok).map((r) => r.item);
      expect(failed).toEqual(['table slide_groups', 'column slide_groups.planted_column']);
    } finally {
      await t.close();
    }
  });
});
