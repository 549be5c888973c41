import type { Context } from '../../context.js';
import type { PostMode } from '../../db/types.js';
import type { ScheduleSource } from '../../services/schedule/entry.js';
import { PRIVACY_LEVELS, type PrivacyLevel } from '../../services/sessions/post.js';

/** What the schedule runs, after node and the CLI's path: the command line only this layer spells. */
export const SCHEDULED_RUN_ARGS = ['run', '--due', '--quiet'] as const;

/** `schedule install --publish`: the scheduled run publishes what it renders. */
export interface SchedulePublish {
  /** Absent: the run's own default (the publish.mode setting, else draft). */
  mode?: PostMode;
  privacy?: PrivacyLevel;
}

/** `run --due --quiet`, then the publish flags; a direct post carries the consent given at install (--yes). */
export function scheduledRunArgs(publish?: SchedulePublish): string[] {
  if (!publish) return [...SCHEDULED_RUN_ARGS];
  return [
    ...SCHEDULED_RUN_ARGS,
    '--publish',
    ...(publish.mode ? [publish.mode] : []),
    ...(publish.privacy ? ['--privacy', publish.privacy] : []),
    ...(publish.mode === 'direct' ? ['--yes'] : []),
  ];
}

/** Every publish an install accepts (a privacy level only with direct), so status knows each entry it writes as current. */
const INSTALLABLE: readonly (SchedulePublish | undefined)[] = [
  undefined,
  {},
  { mode: 'draft' },
  { mode: 'direct' },
  ...PRIVACY_LEVELS.map((privacy): SchedulePublish => ({ mode: 'direct', privacy })),
];

/** The profile's schedule as the scheduler services take it. */
export function scheduleSource(ctx: Pick<Context, 'env' | 'paths' | 'profile' | 'config'>, publish?: SchedulePublish): ScheduleSource {
  return {
    env: ctx.env,
    paths: ctx.paths,
    profile: ctx.profile,
    config: ctx.config,
    runArgs: scheduledRunArgs(publish),
    installableRunArgs: INSTALLABLE.map(scheduledRunArgs),
  };
}
