import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { PushResult } from '../../services/db/push.js';

export interface DbPushOptions {
  dbUrl?: string;
  dryRun?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('push')
    .description('apply pending migrations to your Supabase Postgres, recorded as the Supabase CLI records them')
    .option('--db-url <url>', 'postgres:// connection string (default: SUPABASE_DB_URL, else asked without echo)')
    .option('--dry-run', 'list the migrations that would run, change nothing')
    .addHelpText(
      'after',
      [
        '',
        'The connection string is in Project Settings > Database. Keep it out of argv and shell history:',
        'set SUPABASE_DB_URL, or let slides ask for it. TLS is required unless the URL sets sslmode',
        'or the database is on this machine.',
        '',
        'Examples:',
        '  slides db push                  # asks for the connection string',
        '  read -rs SUPABASE_DB_URL && export SUPABASE_DB_URL && slides db push --dry-run',
      ].join('\n'),
    )
    .action(
      run(async (ctx, flags: DbPushOptions) => {
        await runDbPush(flags, ctx);
      }),
    );
};

export async function runDbPush(o: DbPushOptions, ctx: Pick<Context, 'io' | 'env' | 'prompter'>): Promise<PushResult> {
  const url =
    o.dbUrl ??
    ctx.env.SUPABASE_DB_URL ??
    (await ctx.prompter.secret({ message: 'Postgres connection string (Project Settings > Database):', flag: '--db-url or SUPABASE_DB_URL' }));
  const { pushMigrations } = await import('../../services/db/push.js');
  const { io } = ctx;
  let line: ReturnType<typeof io.progress> | undefined;
  const result = await pushMigrations(url, {
    dryRun: Boolean(o.dryRun),
    onProgress: ({ migration, status }) => {
      if (status === 'start') line = io.progress(`applying ${migration.file}`);
      else if (status === 'done') line?.succeed(`applied ${migration.file}`);
      else line?.fail(`${migration.file} failed`);
    },
  });
  if (io.json) {
    io.printJson(result);
    return result;
  }
  if (result.migrations.length === 0) {
    io.out(`${result.database} is up to date.`);
    return result;
  }
  io.out(result.dryRun ? `Would apply to ${result.database}:` : `Applied to ${result.database}:`);
  for (const m of result.migrations) io.out(`  ${m.version}_${m.name}`);
  return result;
}
