import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { GroupResult } from '../services/render/group.js';
import type { RunDueOutcome } from '../services/schedule/runDue.js';

export const register: Register = (parent, run) => {
  parent
    .command('run')
    .description('what the schedule calls: render one slide group of the active session if it is due')
    .option('--due', 'render only when a slot of the active session is open (the only mode)')
    .addHelpText(
      'after',
      [
        '',
        'Not due: exits 0, printing nothing with --quiet. Safe to run from several machines at once:',
        'one conditional update claims the slot, so a slot makes one group. Each run adds a line to',
        'schedule.log in the state folder (see slides schedule status).',
        '',
        'Examples:',
        '  slides run --due',
        '  slides run --due --quiet   # as slides schedule install runs it',
      ].join('\n'),
    )
    .action(
      run(async (ctx, flags: { due?: boolean }) => {
        await runRunDue(flags, ctx);
      }),
    );
};

export async function runRunDue(o: { due?: boolean }, ctx: Context): Promise<RunDueOutcome<GroupResult>> {
  if (!o.due) {
    throw new UsageError('slides run needs --due.', { hint: 'to render a group now whatever the schedule, use slides render' });
  }
  const { runDue } = await import('../services/schedule/runDue.js');
  const { renderSlideGroup } = await import('../services/render/renderSlideGroup.js');
  const { renderProgress } = await import('../cli/renderProgress.js');
  const timeZone = ctx.config.timeZone();
  const outcome = await runDue(ctx, {
    render: async (claimed) =>
      renderSlideGroup(
        { backend: await ctx.backend(), clock: ctx.clock, paths: ctx.paths, timeZone, onProgress: renderProgress(ctx.io, { timeZone }) },
        {
          claimed,
          video: true,
          upload: true,
          preset: ctx.config.get('render.preset') ?? '9:16',
          style: ctx.config.get('render.style') ?? 'outline',
          force: false,
        },
      ),
    summarize: (r) => `group=${r.groupNumber} id=${r.groupId} folder=${r.exports?.folder ?? r.folder}`,
  });
  const { wallClockWithZone } = await import('../services/schedule/wallClock.js');
  const { io } = ctx;
  if (io.json) {
    io.printJson(outcome);
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
      for (const warning of r.warnings) io.warn(warning);
      const cap = r.maxPerDay === null ? '' : ` of ${r.maxPerDay}`;
      io.out(`Slide group ${r.groupNumber} of session ${r.sessionId.slice(0, 8)} done (${r.createdToday}${cap} today): ${r.exports?.folder ?? r.folder}`);
      break;
    }
  }
  return outcome;
}
