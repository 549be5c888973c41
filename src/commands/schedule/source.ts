import type { Context } from '../../context.js';
import type { ScheduleSource } from '../../services/schedule/entry.js';

/** What the schedule runs, after node and the CLI's path: the command line only this layer spells. */
export const SCHEDULED_RUN_ARGS = ['run', '--due', '--quiet'] as const;

/** The profile's schedule as the scheduler services take it. */
export function scheduleSource(ctx: Pick<Context, 'env' | 'paths' | 'profile' | 'config'>): ScheduleSource {
  return { env: ctx.env, paths: ctx.paths, profile: ctx.profile, config: ctx.config, runArgs: SCHEDULED_RUN_ARGS };
}
