import type { Rows } from '../../db/backend.js';
import type { MediaSession, MediaType, SlideGroup } from '../../db/types.js';
import { postsOfGroups, type GroupPost } from '../publish/groupPosts.js';
import { scheduleOf } from '../schedule/claim.js';
import type { ScheduleReason } from '../schedule/slots.js';
import { LOOK_FIELD_NAMES, resolveLook, type LookInput, type LookSource } from '../render/look.js';
import { loadSession } from './load.js';
import type { PostSettings } from './post.js';
import { editableLookOf } from './sessionLook.js';

export interface ShownItem {
  /** The item's number in `show`, `edit --caption N=…` and slide order, from 1. */
  number: number;
  position: number | null;
  source_file_id: string | null;
  file: string;
  media_type: MediaType;
  caption: string | null;
  processed_file_path: string | null;
}

export interface ShownSession {
  session: MediaSession;
  items: ShownItem[];
  schedule: {
    frequency: number | null;
    max_per_day: number | null;
    per_group: number | null;
    created_today: number;
    last_run_at: string | null;
    /** Null when the session is stopped or has no frequency. */
    next_due_at: string | null;
    due: boolean;
    reason: ScheduleReason | 'stopped';
    /** Renders that failed in a row; from 3 on, the schedule waits (1 h, then 6 h). */
    consecutive_failures: number;
    /** Until when the schedule waits; null when it does not. */
    backing_off_until: string | null;
  };
  /** The look a render of the session uses now (no flags): each value and where it comes from. */
  look: Record<string, { value: unknown; from: LookSource }>;
  /** The post text and publish settings the session keeps. */
  post: PostSettings;
  /** Stored settings this version does not take (a render refuses them). */
  unreadable: string[];
  /** The latest slide groups, newest first: what was made, and why a failed one failed. */
  groups: (Pick<SlideGroup, 'id' | 'group_number' | 'created_at' | 'status' | 'slide_count' | 'folder' | 'error'> & {
    /** Its TikTok posts, oldest first: drafts sent, posts published, failures and why. */
    posts: Omit<GroupPost, 'group_id'>[];
  })[];
}

const RECENT_GROUPS = 5;

/** A session (the active one without `id`) with its items, its schedule at `at` and its latest groups and their posts. */
export async function showSession(
  rows: Rows,
  id: string | undefined,
  at: { now: Date; timeZone: string },
  lookDefaults: LookInput = {},
): Promise<ShownSession> {
  const { session, items } = await loadSession(rows, id);
  const stored = editableLookOf(session);
  const resolved = resolveLook({ session: stored.look, config: lookDefaults });
  const look: ShownSession['look'] = {};
  for (const field of LOOK_FIELD_NAMES) {
    const from = resolved.from[field];
    if (from !== undefined) look[field] = { value: resolved.look[field], from };
  }
  const groups = await rows.select('slide_groups', {
    where: { session_id: session.id },
    order: [{ column: 'created_at', ascending: false }],
    limit: RECENT_GROUPS,
  });
  const posts = await postsOfGroups(rows, groups.map((g) => g.id));
  const state = scheduleOf(session, at);
  return {
    session,
    items: items.map(({ item, name }, i) => ({
      number: i + 1,
      position: item.position,
      source_file_id: item.source_file_id,
      file: name,
      media_type: item.media_type,
      caption: item.generated_caption,
      processed_file_path: item.processed_file_path,
    })),
    schedule: {
      frequency: session.frequency,
      max_per_day: session.max_per_day,
      per_group: session.per_group,
      created_today: state.createdToday,
      last_run_at: session.last_run_at,
      next_due_at: session.is_active ? (state.nextDueAt?.toISOString() ?? null) : null,
      due: session.is_active && state.due,
      reason: session.is_active ? state.reason : 'stopped',
      consecutive_failures: session.consecutive_failures,
      backing_off_until: state.backoff?.until.toISOString() ?? null,
    },
    look,
    post: stored.post,
    unreadable: stored.dropped,
    groups: groups.map(({ id, group_number, created_at, status, slide_count, folder, error }) => ({
      id,
      group_number,
      created_at,
      status,
      slide_count,
      folder,
      error,
      posts: (posts.get(id) ?? []).map(({ group_id: _, ...post }) => post),
    })),
  };
}
