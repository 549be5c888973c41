import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { MediaSession } from '../../db/types.js';

export interface StopResult {
  session: MediaSession | null;
  /** False when the session was already stopped, or nothing was active. */
  stopped: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('stop')
    .description('stop a session (the active one by default): no more scheduled groups until activated again')
    .argument('[id]', 'session id (8 characters are enough)')
    .action(
      run(async (ctx, id: string | undefined) => {
        await runSessionStop({ id }, ctx);
      }),
    );
};

export async function runSessionStop(o: { id?: string }, ctx: Pick<Context, 'io' | 'backend'>): Promise<StopResult> {
  const { stopSession } = await import('../../services/sessions/stop.js');
  const outcome = await stopSession((await ctx.backend()).rows, o.id);
  const result: StopResult = { session: outcome?.session ?? null, stopped: outcome?.wasActive ?? false };
  if (ctx.io.json) ctx.io.printJson(result);
  else if (!outcome) ctx.io.info('No session is active; nothing to stop.');
  else if (!outcome.wasActive) ctx.io.info(`Session ${outcome.session.id.slice(0, 8)} was already stopped.`);
  else ctx.io.out(`Stopped session ${outcome.session.id.slice(0, 8)}.`);
  return result;
}
