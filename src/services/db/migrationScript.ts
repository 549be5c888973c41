import type { Migration } from '../../db/migrations.js';

const dollarQuote = (text: string) => {
  let tag = 'slides';
  while (text.includes(`$${tag}$`)) tag += '_';
  return `$${tag}$${text}$${tag}$`;
};

/**
 * The migrations as one script for the Supabase SQL editor or psql: each in its own transaction
 * and recorded in supabase_migrations.schema_migrations, so `slides db push` and the Supabase CLI
 * later see them as applied; a migration already recorded there is skipped.
 */
export function migrationScript(migrations: Migration[]): string {
  const parts = [
    '-- slides: database schema. Paste into the Supabase SQL editor, or: slides db sql | psql "$SUPABASE_DB_URL"',
    'CREATE SCHEMA IF NOT EXISTS supabase_migrations;',
    'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version TEXT PRIMARY KEY, statements TEXT[], name TEXT);',
  ];
  for (const m of migrations) {
    parts.push(
      '',
      `-- ${m.file}`,
      'BEGIN;',
      `DO ${dollarQuote(`
BEGIN
  IF EXISTS (SELECT 1 FROM supabase_migrations.schema_migrations WHERE version = '${m.version}') THEN
    RETURN;
  END IF;
  EXECUTE ${dollarQuote(m.sql)};
  INSERT INTO supabase_migrations.schema_migrations (version, name, statements)
  VALUES ('${m.version}', '${m.name.replace(/'/g, "''")}', ARRAY[${dollarQuote(m.sql)}]);
END
`)};`,
      'COMMIT;',
    );
  }
  return `${parts.join('\n')}\n`;
}
