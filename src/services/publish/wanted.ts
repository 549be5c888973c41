import type { Rows } from '../../db/backend.js';
import type { PostKind, PostMode, SlideGroup } from '../../db/types.js';
import { SlidesError } from '../../errors.js';
import { FINISHED_STATUSES } from './findGroup.js';
import { publishGroup, type PublishDeps, type PublishOptions, type PublishResult } from './publishGroup.js';

/** A scheduled group whose posts TikTok refused this many times is left for `slides publish` by hand. */
export const MAX_SCHEDULED_ATTEMPTS = 3;

/** Marks a group, while it renders, as one to publish in `mode` (0008's publish_mode). */
export async function wantPublished(rows: Rows, groupId: string, mode: PostMode): Promise<void> {
  await rows.update('slide_groups', { publish_mode: mode }, { id: groupId });
}

/**
 * The session's finished groups marked to publish that have no finished post of `kind` yet, oldest
 * first: the one just rendered, and any whose publish failed or was cut short on an earlier run.
 * Groups TikTok refused MAX_SCHEDULED_ATTEMPTS times are left out (they wait for `slides publish`).
 */
export async function groupsWaitingToPublish(rows: Rows, sessionId: string, kind: PostKind): Promise<SlideGroup[]> {
  const wanted = await rows.select('slide_groups', {
    where: { session_id: sessionId, status: 'done', publish_mode: { in: ['draft', 'direct'] } },
    order: [{ column: 'created_at' }],
  });
  if (wanted.length === 0) return [];
  const posts = await rows.select('slide_group_posts', { where: { group_id: { in: wanted.map((g) => g.id) }, kind } });
  const finished = new Set(posts.filter((p) => (FINISHED_STATUSES as readonly string[]).includes(p.status)).map((p) => p.group_id));
  const refusals = (id: string) => posts.filter((p) => p.group_id === id && p.status === 'failed').length;
  return wanted.filter((g) => !finished.has(g.id) && refusals(g.id) < MAX_SCHEDULED_ATTEMPTS);
}

export interface WaitingOutcome {
  published: PublishResult[];
  /** Groups whose publish failed this run; they stay marked, and the next run tries again. */
  failed: { groupId: string; groupNumber: number; error: unknown }[];
}

/**
 * Publishes the session's groups that wait (groupsWaitingToPublish), each in the mode it was
 * marked with. A failure is kept with its group and the next group is tried, except when the
 * account itself is refused (exit 3): then nothing more can go out this run.
 */
export async function publishWaiting(
  deps: PublishDeps,
  o: { sessionId: string; kind: PostKind; choices: (mode: PostMode) => Omit<PublishOptions, 'group' | 'kind' | 'mode' | 'again'> },
): Promise<WaitingOutcome> {
  const outcome: WaitingOutcome = { published: [], failed: [] };
  for (const group of await groupsWaitingToPublish(deps.backend.rows, o.sessionId, o.kind)) {
    const mode = group.publish_mode as PostMode;
    try {
      outcome.published.push(await publishGroup(deps, { ...o.choices(mode), group: group.id, kind: o.kind, mode, again: false }));
    } catch (error) {
      outcome.failed.push({ groupId: group.id, groupNumber: group.group_number, error });
      if (error instanceof SlidesError && error.exitCode === 3) break;
    }
  }
  return outcome;
}

/** How a scheduled run publishes: the run's flags, else the session's post settings, else the config, else a draft with every toggle off. */
export interface ScheduledSettings {
  mode: PostMode;
  privacy?: string;
  allowComments: boolean;
  allowDuet: boolean;
  allowStitch: boolean;
}

type Toggles = { allowComments?: boolean; allowDuet?: boolean; allowStitch?: boolean };

export function scheduledSettings(
  flags: Toggles & { mode?: PostMode; privacy?: string },
  session: Toggles & { publish?: PostMode; privacy?: string },
  config: { mode?: PostMode; privacy?: string },
): ScheduledSettings {
  return {
    mode: flags.mode ?? session.publish ?? config.mode ?? 'draft',
    privacy: flags.privacy ?? session.privacy ?? config.privacy,
    allowComments: flags.allowComments ?? session.allowComments ?? false,
    allowDuet: flags.allowDuet ?? session.allowDuet ?? false,
    allowStitch: flags.allowStitch ?? session.allowStitch ?? false,
  };
}
