import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { MediaSession, SlideGroup, MediaType } from '../../db/types.js';
import type { GroupPost } from '../../services/publish/groupPosts.js';
import type { ScheduleReason } from '../../services/schedule/slots.js';
import { oneLine, plural, scheduleLine, when } from './format.js';
import { table } from '../../cli/table.js';

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
  /** The latest slide groups, newest first: what was made, and why a failed one failed. */
  groups: (Pick<SlideGroup, 'id' | 'group_number' | 'created_at' | 'status' | 'slide_count' | 'folder' | 'error'> & {
    /** Its TikTok posts, oldest first: drafts sent, posts published, failures and why. */
    posts: Omit<GroupPost, 'group_id'>[];
  })[];
}

const RECENT_GROUPS = 5;

export const register: Register = (parent, run) => {
  parent
    .command('show')
    .description('a session (the active one by default): its items, captions, last outputs and schedule')
    .argument('[id]', 'session id (8 characters are enough)')
    .action(
      run(async (ctx, id: string | undefined) => {
        await runSessionShow({ id }, ctx);
      }),
    );
};

export async function runSessionShow(o: { id?: string }, ctx: Pick<Context, 'io' | 'backend' | 'config' | 'clock'>): Promise<ShownSession> {
  const { loadSession } = await import('../../services/sessions/load.js');
  const { scheduleOf } = await import('../../services/schedule/claim.js');
  const { postsOfGroups } = await import('../../services/publish/groupPosts.js');
  const { rows } = await ctx.backend();
  const { session, items } = await loadSession(rows, o.id);
  const groups = await rows.select('slide_groups', {
    where: { session_id: session.id },
    order: [{ column: 'created_at', ascending: false }],
    limit: RECENT_GROUPS,
  });
  const posts = await postsOfGroups(rows, groups.map((g) => g.id));
  const timeZone = ctx.config.timeZone();
  const state = scheduleOf(session, { now: ctx.clock.now(), timeZone });
  const shown: ShownSession = {
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
  if (ctx.io.json) ctx.io.printJson(shown);
  else print(ctx, shown, timeZone);
  return shown;
}

function print(ctx: Pick<Context, 'io'>, s: ShownSession, timeZone: string): void {
  const { session, schedule } = s;
  const out = (label: string, value: string) => ctx.io.out(`${label.padEnd(10)}${value}`);
  out('Session', `${session.id} (${session.is_active ? 'active' : 'stopped'})`);
  out('Started', when(session.started_at, timeZone));
  out('Schedule', scheduleLine(session));
  out('Today', `${plural(schedule.created_today, 'group')} made; ${nextDue(s, timeZone)}`);
  out('Last run', when(schedule.last_run_at, timeZone));
  out('Groups', `${session.groups_created} made; the next starts at item ${session.next_position + 1}`);
  if (session.exported_video_path) out('Video', session.exported_video_path);
  ctx.io.out('');
  const rows = [
    ['#', 'FILE', 'TYPE', 'CAPTION', 'LAST OUTPUT'],
    ...s.items.map((i) => [String(i.number), i.file, i.media_type, oneLine(i.caption), i.processed_file_path ?? '']),
  ];
  for (const line of table(rows)) ctx.io.out(line);
  if (s.groups.length === 0) return;
  ctx.io.out('');
  const groups = [
    ['GROUP', 'STARTED', 'STATUS', 'SLIDES', 'FOLDER OR REASON'],
    ...s.groups.map((g) => [
      String(g.group_number),
      when(g.created_at, timeZone),
      g.status,
      String(g.slide_count),
      g.status === 'failed' ? oneLine(g.error) : g.folder,
    ]),
  ];
  for (const line of table(groups)) ctx.io.out(line);
  const posts = s.groups.flatMap((g) => g.posts.map((p) => ({ group: g.group_number, ...p })));
  if (posts.length === 0) return;
  ctx.io.out('');
  const postRows = [
    ['GROUP', 'TIKTOK', 'STATUS', 'WHEN', 'PUBLISH ID OR REASON'],
    ...posts.map((p) => [
      String(p.group),
      `${p.kind} ${p.mode}`,
      POST_STATUS[p.status],
      when(p.at, timeZone),
      p.status === 'failed' ? (p.fail_reason ?? '') : [p.publish_id ?? '', p.tiktok_post_id ? `post ${p.tiktok_post_id}` : ''].filter(Boolean).join(', '),
    ]),
  ];
  for (const line of table(postRows)) ctx.io.out(line);
}

const POST_STATUS: Record<GroupPost['status'], string> = {
  claimed: 'starting',
  uploading: 'uploading',
  processing: 'processing',
  sent_to_inbox: 'draft in inbox',
  published: 'posted',
  failed: 'failed',
};

function nextDue(s: ShownSession, timeZone: string): string {
  const at = s.schedule.next_due_at;
  switch (s.schedule.reason) {
    case 'stopped':
      return 'not scheduled (stopped)';
    case 'no-frequency':
      return 'not scheduled (no frequency)';
    case 'slot-open':
      return 'due now';
    case 'day-cap-reached':
      return `today's cap is reached; next due ${when(at, timeZone)}`;
    case 'waiting-for-slot':
      return `next due ${when(at, timeZone)}`;
    case 'catching-up':
      return `catching up on missed slots; next due ${when(at, timeZone)}`;
    case 'backing-off':
      return `backing off after ${plural(s.schedule.consecutive_failures, 'failed render')} in a row; next try ${when(at, timeZone)}`;
  }
}
