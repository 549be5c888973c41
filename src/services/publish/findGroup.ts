import type { Rows } from '../../db/backend.js';
import type { PostKind, SlideGroup, SlideGroupPost } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import { activeSession, findSession } from '../sessions/load.js';
import { matchId } from '../sessions/ids.js';

export const FINISHED_STATUSES = ['sent_to_inbox', 'published'] as const;

/** The group already has a finished post of this kind; publishing again must be asked for. */
export class AlreadyPublished extends UsageError {
  constructor(
    readonly group: SlideGroup,
    readonly post: SlideGroupPost,
  ) {
    super(`slide group ${group.group_number} (${group.id.slice(0, 8)}) was already ${post.status === 'published' ? 'posted' : 'sent to the TikTok inbox'} as ${post.kind} on ${post.finished_at ?? post.updated_at}`);
  }
}

export async function finishedPosts(rows: Rows, groupIds: readonly string[], kind: PostKind): Promise<SlideGroupPost[]> {
  if (groupIds.length === 0) return [];
  return rows.select('slide_group_posts', {
    where: { group_id: { in: groupIds }, kind, status: { in: [...FINISHED_STATUSES] } },
  });
}

/** The group `given` names: a group number of the active session, else a whole id or unique prefix in any session. */
async function namedGroup(rows: Rows, given: string): Promise<SlideGroup> {
  if (/^\d+$/.test(given.trim())) {
    const session = await activeSession(rows);
    const [numbered] = session
      ? await rows.select('slide_groups', { where: { session_id: session.id, group_number: Number(given) }, limit: 1 })
      : [];
    if (numbered) return numbered;
  }
  const groups = await rows.select('slide_groups');
  const id = matchId(given, groups.map((g) => g.id), 'slide group', 'slides session show lists the groups, their numbers and ids');
  return groups.find((g) => g.id === id) as SlideGroup;
}

/**
 * The group to publish: the one `given` names (a group number of the active session, or a whole id
 * or a unique prefix in any session), or the newest finished group of the active session without
 * a finished post of this kind.
 */
export async function groupToPublish(rows: Rows, o: { given?: string; kind: PostKind }): Promise<SlideGroup> {
  if (o.given !== undefined) {
    const group = await namedGroup(rows, o.given);
    if (group.status !== 'done') {
      throw new UsageError(`slide group ${group.group_number} (${group.id.slice(0, 8)}) is ${group.status}: only a finished group can be published`, {
        hint: group.status === 'failed' ? 'render a new group with slides render' : 'wait for its render to finish',
      });
    }
    return group;
  }
  const session = await findSession(rows);
  const done = await rows.select('slide_groups', {
    where: { session_id: session.id, status: 'done' },
    order: [{ column: 'created_at', ascending: false }],
  });
  const posted = new Set((await finishedPosts(rows, done.map((g) => g.id), o.kind)).map((p) => p.group_id));
  const next = done.find((g) => !posted.has(g.id));
  if (!next) {
    throw new UsageError(
      done.length === 0
        ? `the active session ${session.id.slice(0, 8)} has no finished slide group yet`
        : `every finished slide group of the active session ${session.id.slice(0, 8)} is already published as ${o.kind}`,
      { hint: 'render one with slides render, or name a group (slides session show lists them)' },
    );
  }
  return next;
}
