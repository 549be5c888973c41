import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

export const register: Register = (parent, run) => {
  parent
    .command('check')
    .description('check that the database has every table, column, bucket and function slides needs')
    .action(run(async (ctx) => runDbCheck(ctx)));
};

export async function runDbCheck(ctx: Pick<Context, 'io' | 'backend'>): Promise<void> {
  const { checkSchema } = await import('../../services/db/schemaCheck.js');
  const backend = await ctx.backend();
  const results = await checkSchema(backend);
  const missing = results.filter((r) => !r.ok);
  if (ctx.io.json) {
    ctx.io.printJson({ backend: backend.kind, ok: missing.length === 0, checks: results });
  } else {
    const { green, red } = ctx.io.style;
    for (const r of results) ctx.io.out(`${r.ok ? green('ok  ') : red('FAIL')} ${r.item}${r.detail ? `: ${r.detail}` : ''}`);
  }
  if (missing.length > 0) {
    throw new UsageError(`the ${backend.kind} database lacks ${missing.map((m) => m.item).join(', ')}`, {
      hint: backend.kind === 'supabase' ? 'run slides db push, or paste slides db sql into the SQL editor' : 'run slides doctor',
    });
  }
}
