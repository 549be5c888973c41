import { Option } from 'commander';
import type { Register } from '../cli/command.js';
import { configLook } from '../cli/lookFlags.js';
import type { Context } from '../context.js';
import type { PostMode } from '../db/types.js';
import { AuthError, PartialFailure, SlidesError, UsageError } from '../errors.js';
import type { WaitingOutcome } from '../services/publish/wanted.js';
import type { GroupResult } from '../services/render/group.js';
import type { RunDueDeps, RunDueOutcome } from '../services/schedule/runDue.js';

export interface RunCommandOptions {
  due?: boolean;
  /** `--publish` alone is true: the mode from the publish.mode setting, else draft. */
  publish?: PostMode | true;
  privacy?: string;
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
  yes?: boolean;
}

/** A publish of the run, as --json and the log show it. */
export interface RunPublished {
  published: WaitingOutcome['published'];
  failed: { groupId: string; groupNumber: number; error: string; exitCode: number }[];
}

export const register: Register = (parent, run) => {
  parent
    .command('run')
    .description('what the schedule calls: render one slide group of the active session if it is due')
    .option('--due', 'render only when a slot of the active session is open (the only mode)')
    .addOption(
      new Option('--publish [mode]', 'then send the new group to TikTok: draft (to the inbox; default: setting publish.mode, else draft) or direct').choices([
        'draft',
        'direct',
      ]),
    )
    .option('--privacy <level>', 'direct posts: who sees them (default: setting publish.privacy; TikTok allows no default)')
    .option('--allow-comments', 'direct posts: let viewers comment')
    .option('--allow-duet', 'direct posts: allow duets')
    .option('--allow-stitch', 'direct posts: allow stitches')
    .option('--yes', "direct posts: agree to TikTok's Music Usage Confirmation for every post this run makes")
    .addHelpText(
      'after',
      [
        '',
        'Not due: exits 0, printing nothing with --quiet. Safe to run from several machines at once:',
        'one conditional update claims the slot, so a slot makes one group. Each run adds a line to',
        'schedule.log in the state folder (see slides schedule status).',
        '',
        'With --publish, the group is marked to publish before it renders, then sent to TikTok. A publish',
        'that fails leaves the group rendered and counted; the next run --due --publish sends it (without',
        'rendering again), as does slides publish GROUP.',
        '',
        'Examples:',
        '  slides run --due',
        '  slides run --due --quiet   # as slides schedule install runs it',
        '  slides run --due --publish',
        '  slides run --due --publish direct --privacy SELF_ONLY --yes',
      ].join('\n'),
    )
    .action(
      run(async (ctx, flags: RunCommandOptions) => {
        await runRunDue(flags, ctx);
      }),
    );
};

/** What a scheduled run needs from the command's context. */
export function runDueDeps(ctx: Pick<Context, 'io' | 'clock' | 'paths' | 'config' | 'backend'>): RunDueDeps {
  return {
    stateDir: ctx.paths.state,
    clock: ctx.clock,
    timeZone: ctx.config.timeZone(),
    rows: async () => (await ctx.backend()).rows,
    renderTurn: async () => (await ctx.backend()).renderTurn(),
    onLockLost: (error) => ctx.io.warn(`the run lock was lost (${error.message}); the database claim still guards the slot`),
  };
}

export async function runRunDue(o: RunCommandOptions, ctx: Context): Promise<RunDueOutcome<GroupResult, RunPublished>> {
  if (!o.due) {
    throw new UsageError('slides run needs --due.', { hint: 'to render a group now whatever the schedule, use slides render' });
  }
  const { runDue } = await import('../services/schedule/runDue.js');
  const { renderSlideGroup } = await import('../services/render/renderSlideGroup.js');
  const { renderProgress } = await import('../cli/renderProgress.js');
  const timeZone = ctx.config.timeZone();
  const publisher = o.publish === undefined ? null : await scheduledPublisher(o, ctx);
  const outcome = await runDue<GroupResult, RunPublished>(runDueDeps(ctx), {
    after: publisher ?? undefined,
    render: async (claimed) => {
      if (publisher) await publisher.mark(claimed.group.id);
      return renderSlideGroup(
        { backend: await ctx.backend(), clock: ctx.clock, paths: ctx.paths, timeZone, onProgress: renderProgress(ctx.io, { timeZone }) },
        {
          claimed,
          video: true,
          upload: true,
          lookDefaults: configLook(ctx.config),
          force: false,
        },
      );
    },
    summarize: (r) => `group=${r.groupNumber} id=${r.groupId} folder=${r.exports?.folder ?? r.folder}`,
  });
  const { wallClockWithZone } = await import('../services/schedule/wallClock.js');
  const { warningText } = await import('../cli/settingFlags.js');
  const { io } = ctx;
  if (io.json) {
    io.printJson(outcome.outcome === 'rendered' ? { ...outcome, result: { ...outcome.result, warnings: outcome.result.warnings.map(warningText) } } : outcome);
    if ('after' in outcome && outcome.after) reportPublished(ctx, outcome.after);
    return outcome;
  }
  switch (outcome.outcome) {
    case 'locked':
      io.info('Another slides run of this profile is still going; skipped.');
      break;
    case 'no-session':
      io.info('No session is active; nothing to render (slides session new).');
      break;
    case 'not-due':
      io.info(`Not due (${outcome.schedule.reason}); next at ${outcome.schedule.nextDueAt ? wallClockWithZone(outcome.schedule.nextDueAt, timeZone) : 'never'}.`);
      break;
    case 'taken':
      io.info('Another machine claimed this slot first; nothing to do.');
      break;
    case 'rendered': {
      const r = outcome.result;
      for (const warning of r.warnings) io.warn(warningText(warning));
      const cap = r.maxPerDay === null ? '' : ` of ${r.maxPerDay}`;
      io.out(`Slide group ${r.groupNumber} of session ${r.sessionId.slice(0, 8)} done (${r.createdToday}${cap} today): ${r.exports?.folder ?? r.folder}`);
      break;
    }
  }
  if ('after' in outcome && outcome.after) reportPublished(ctx, outcome.after);
  return outcome;
}

function reportPublished(ctx: Context, p: RunPublished): void {
  for (const r of p.published) {
    const where = r.status === 'published' ? 'posted to TikTok' : r.status === 'sent_to_inbox' ? 'sent to the TikTok inbox as a draft' : 'still processing at TikTok';
    ctx.io.out(`Slide group ${r.groupNumber} ${where} (publish id ${r.publishId})`);
  }
  const [first, ...more] = p.failed;
  if (!first) return;
  const groups = p.failed.map((f) => f.groupNumber).join(', ');
  if (first.exitCode === 3) throw new AuthError(`publishing slide group ${groups} failed: ${first.error}`, { hint: 'run slides tiktok connect; the next run --due --publish sends it' });
  throw new PartialFailure(`publishing slide group ${groups} failed: ${first.error}${more.length > 0 ? ` (and ${more.length} more)` : ''}`, {
    hint: `the group is rendered and kept; the next slides run --due --publish sends it, or slides publish ${first.groupNumber}`,
  });
}

/**
 * What --publish adds to the run: the settings (flags > the active session's post settings >
 * config > a draft), the checks made before anything renders (a direct post needs a privacy level
 * and --yes, the account must be connected), the mark written while the group renders, and the
 * publish of every group that waits once the slot is settled.
 */
async function scheduledPublisher(o: RunCommandOptions, ctx: Context) {
  const { consentLine } = await import('../tiktok/publish/guidelines.js');
  const { publishWaiting, scheduledSettings, wantPublished } = await import('../services/publish/wanted.js');
  const { activeSession } = await import('../services/sessions/load.js');
  const { parseStoredPost } = await import('../services/sessions/post.js');
  const { publishing } = await import('../cli/publishing.js');
  const { userMessage } = await import('../cli/settingFlags.js');
  const backend = await ctx.backend();
  const session = await activeSession(backend.rows);
  const settings = scheduledSettings(
    { ...o, mode: o.publish === true ? undefined : o.publish },
    session ? parseStoredPost(session.id, session.post_settings ?? {}) : {},
    { mode: ctx.config.get('publish.mode'), privacy: ctx.config.get('publish.privacy') },
  );
  const { mode, privacy } = settings;
  if (mode === 'direct' && privacy === undefined) {
    throw new UsageError('--publish direct needs a privacy level: TikTok allows no default', {
      hint: 'pass --privacy LEVEL, store one with slides session edit --privacy LEVEL, or slides config set publish.privacy LEVEL',
    });
  }
  if (mode === 'direct' && !o.yes) {
    throw new UsageError(`--publish direct posts without asking: pass --yes to agree for each post (${consentLine({ brandedContent: false })})`);
  }
  const { deps, stop, probeDuration } = await publishing(ctx, backend);
  const choices = {
    privacy,
    allowComments: settings.allowComments,
    allowDuet: settings.allowDuet,
    allowStitch: settings.allowStitch,
    brandOrganic: false,
    brandedContent: false,
    autoMusic: false,
  };
  return {
    mark: (groupId: string) => wantPublished(backend.rows, groupId, mode),
    run: async (sessionId: string): Promise<RunPublished> => {
      if (mode === 'direct') ctx.io.info(consentLine({ brandedContent: false }));
      const outcome = await publishWaiting(deps, { sessionId, kind: 'video', choices: () => ({ choices, probeDuration }) });
      stop(outcome.failed.length === 0);
      return {
        published: outcome.published,
        failed: outcome.failed.map((f) => ({
          groupId: f.groupId,
          groupNumber: f.groupNumber,
          error: userMessage(f.error),
          exitCode: f.error instanceof SlidesError ? f.error.exitCode : 1,
        })),
      };
    },
    summarize: (p: RunPublished) =>
      [...p.published.map((r) => `published group=${r.groupNumber} ${r.status} publish_id=${r.publishId}`), ...p.failed.map((f) => `publish failed group=${f.groupNumber}: ${f.error}`)].join('; ') ||
      'nothing waits to publish',
  };
}
