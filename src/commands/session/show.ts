import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { GroupPost } from '../../services/publish/groupPosts.js';
import type { ShownSession } from '../../services/sessions/show.js';
import type { PostSettings } from '../../services/sessions/post.js';
import { configLook } from '../../cli/lookFlags.js';
import { flagOf } from '../../cli/settingFlags.js';
import { oneLine, plural, scheduleLine, when } from './format.js';
import { table } from '../../cli/table.js';

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
  const { showSession } = await import('../../services/sessions/show.js');
  const timeZone = ctx.config.timeZone();
  const shown = await showSession((await ctx.backend()).rows, o.id, { now: ctx.clock.now(), timeZone }, configLook(ctx.config));
  for (const field of shown.unreadable) {
    ctx.io.warn(`session ${shown.session.id.slice(0, 8)} stores a ${field} this version of slides does not take: a render refuses it (set it again with slides session edit)`);
  }
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
  const post = postLine(s.post);
  if (post) out('Post', post);
  ctx.io.out('');
  ctx.io.out("Look (a render's flags > this session > the config > built-in):");
  const look = Object.entries(s.look).map(([field, { value, from }]) => [`  ${flagOf(field)}`, shownValue(value), from]);
  for (const line of table(look)) ctx.io.out(line);
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

function shownValue(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  if ('name' in value) return String(value.name);
  if ('min' in value && 'max' in value) return `${String(value.min)}-${String(value.max)}`;
  return JSON.stringify(value);
}

function postLine(p: PostSettings): string {
  const text = [p.postCaption ? oneLine(p.postCaption) : '', (p.hashtags ?? []).join(' ')].filter(Boolean).join(' ');
  const toggles = (['allowComments', 'allowDuet', 'allowStitch'] as const).filter((k) => p[k] !== undefined).map((k) => `${flagOf(k).slice(2)} ${p[k] ? 'on' : 'off'}`);
  const how = [p.publish, p.privacy, ...toggles].filter(Boolean).join(', ');
  return [text, how ? `(${how})` : ''].filter(Boolean).join(' ');
}

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
