import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('whoami')
    .description('print who the CLI acts as: user, project, backend and profile')
    .action(
      run(async (ctx) => {
        await runWhoami(ctx);
      }),
    );
};

export async function runWhoami(ctx: Pick<Context, 'io' | 'backend' | 'profile'>) {
  const backend = await ctx.backend();
  const { userId, email, project } = backend.identity;
  const result = { email, userId, project, backend: backend.kind, profile: ctx.profile };
  if (ctx.io.json) {
    ctx.io.printJson(result);
    return result;
  }
  const rows: Array<[string, string]> = [
    ['email', email ?? '(none)'],
    ['user id', userId],
    ['project', project],
    ['backend', backend.kind],
    ['profile', ctx.profile],
  ];
  for (const [label, value] of rows) ctx.io.out(`${ctx.io.style.dim(label.padEnd(8))} ${value}`);
  return result;
}
