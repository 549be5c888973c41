import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { MediaSession } from '../../db/types.js';

export const register: Register = (parent, run) => {
  parent
    .command('activate')
    .description('make a session the active one (the current active session stops)')
    .argument('<id>', 'session id (8 characters are enough)')
    .action(
      run(async (ctx, id: string) => {
        await runSessionActivate({ id }, ctx);
      }),
    );
};

export async function runSessionActivate(
  o: { id: string },
  ctx: Pick<Context, 'io' | 'backend'>,
): Promise<{ session: MediaSession; previous: MediaSession | null }> {
  const { activateSession } = await import('../../services/sessions/activate.js');
  const result = await activateSession((await ctx.backend()).rows, o.id);
  if (ctx.io.json) {
    ctx.io.printJson(result);
  } else {
    if (result.previous) ctx.io.info(`Stopped session ${result.previous.id.slice(0, 8)}.`);
    ctx.io.out(`Session ${result.session.id.slice(0, 8)} is the active session.`);
  }
  return result;
}
