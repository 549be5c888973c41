import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('sql')
    .description('print the schema migrations as one SQL script (Supabase SQL editor or psql)')
    .addHelpText('after', '\nExamples:\n  slides db sql | pbcopy            # then paste into the SQL editor\n  slides db sql | psql "$SUPABASE_DB_URL"')
    .action(run(async (ctx) => runDbSql(ctx)));
};

export async function runDbSql(ctx: Pick<Context, 'io'>): Promise<void> {
  const { listMigrations } = await import('../../db/migrations.js');
  const { migrationScript } = await import('../../services/db/migrationScript.js');
  const migrations = listMigrations();
  if (ctx.io.json) {
    ctx.io.printJson(migrations.map(({ version, name, file, sql }) => ({ version, name, file, sql })));
    return;
  }
  ctx.io.stdout.write(migrationScript(migrations));
}
