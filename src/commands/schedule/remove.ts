import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { InstalledSchedule, Machine } from '../../services/schedule/scheduler.js';

export const register: Register = (parent, run) => {
  parent
    .command('remove')
    .description("remove this profile's crontab line or LaunchAgent (other crontab lines stay as they are)")
    .action(
      run(async (ctx) => {
        await runScheduleRemove(ctx);
      }),
    );
};

export async function runScheduleRemove(
  ctx: Pick<Context, 'io' | 'env' | 'paths' | 'profile'>,
  machine?: Machine,
): Promise<InstalledSchedule | null> {
  const { removeSchedule, thisMachine } = await import('../../services/schedule/scheduler.js');
  const { SCHEDULED_RUN_ARGS } = await import('./source.js');
  const source = { env: ctx.env, paths: ctx.paths, profile: ctx.profile, runArgs: SCHEDULED_RUN_ARGS };
  const removed = await removeSchedule(source, machine ?? thisMachine(ctx.env));
  const target = removed === null ? null : removed.kind === 'cron' ? 'crontab' : removed.path;
  if (ctx.io.json) ctx.io.printJson({ removed: removed !== null, kind: removed?.kind ?? null, target });
  else if (removed === null) ctx.io.info(`No schedule is installed for profile ${ctx.profile}; nothing to remove.`);
  else ctx.io.out(`Removed the schedule of profile ${ctx.profile} (${target}).`);
  return removed;
}
