import { Option } from 'commander';
import { positiveInt, type Register } from '../../cli/command.js';
import { warningText } from '../../cli/settingFlags.js';
import { addLookOptions, addPostOptions, configLook, lookFlags, postFlags, type PostFlags } from '../../cli/lookFlags.js';
import type { Context } from '../../context.js';
import type { MediaSession, MediaType, SessionMediaItem } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import type { ResolvedCaption } from '../../services/captions/resolve.js';
import type { Candidate } from '../../services/sessions/candidates.js';
import { ORDERS, type OrderName } from '../../services/sessions/order.js';
import type { LookFlags } from '../../services/render/look.js';
import type { ScheduleSettings } from '../../services/sessions/settings.js';
import { table } from '../../cli/table.js';
import { oneLine, plural, scheduleLine, when } from './format.js';

export interface SessionNewOptions extends LookFlags, PostFlags {
  files?: string[];
  all?: boolean;
  from?: string;
  type?: MediaType;
  order?: OrderName;
  captions?: string;
  captionTemplate?: string;
  frequency?: number;
  maxPerDay?: number;
  perGroup?: number;
  yes?: boolean;
}

export interface SessionNewResult {
  session: MediaSession;
  items: SessionMediaItem[];
  /** The session that was active before, now stopped. */
  replaced: string | null;
  warnings: string[];
}

export const register: Register = (parent, run) => {
  const command = parent
    .command('new')
    .description('make a session of uploaded files and make it the active one (asks on a terminal; every question has a flag)')
    .option('--files <id...>', 'the files, by id (slides files list shows them; 8 characters are enough)')
    .option('--all', 'every uploaded file (narrow with --type)')
    .option('--from <dir>', 'the uploaded files whose content matches the photos and clips in DIR')
    .addOption(new Option('--type <type>', 'only photos or only clips').choices(['image', 'video']))
    .addOption(new Option('--order <order>', 'slide order (default name)').choices(ORDERS))
    .option('--captions <file>', 'captions: one per line in session order, or .json/.csv (comma or semicolon) mapping file name → caption')
    .option('--caption-template <template>', 'caption for items nothing else captions: {n}, {total}, {name}, {file}')
    .option('--frequency <n>', 'slide groups per day (needed without a terminal)', positiveInt)
    .option('--max-per-day <n>', 'at most this many groups a day, manual renders included (default: the frequency)', positiveInt)
    .option('--per-group <n>', 'slides per group (default 10, or fewer when there are fewer items)', positiveInt)
    .option('-y, --yes', 'do not ask: create it, stopping the current active session');
  addPostOptions(addLookOptions(command))
    .addHelpText(
      'after',
      `
Captions, strongest first: a caption typed for the item; a sidecar file beside the source
(photo.jpg.txt or photo.txt), read only with --from DIR since that is the one time the
source's folder is known; --captions FILE; --caption-template. A caption may hold
alternatives separated by " | ": each slide group shows one, chosen by its group number.

The look flags are render's; the session keeps them and every group it makes uses them, on any
machine (music and font files are uploaded to your project once). A render's own flags win.

Examples:
  slides session new
  slides session new --from ~/Pictures/lisbon --frequency 2 --per-group 6 --yes
  slides session new --all --type image --order date --caption-template "Day {n} of {total}" --frequency 1
  slides session new --all --frequency 1 --style box --box-color yellow --audio song.m4a --post-caption "Lisbon, day {n}" --hashtags "#lisbon #travel"`,
    )
    .action(
      run(async (ctx, flags: SessionNewOptions) => {
        await runSessionNew(flags, ctx);
      }),
    );
};

export async function runSessionNew(
  o: SessionNewOptions,
  ctx: Pick<Context, 'io' | 'prompter' | 'backend' | 'config' | 'browser' | 'paths' | 'env'>,
  random: () => number = Math.random,
): Promise<SessionNewResult | null> {
  const { activeSession } = await import('../../services/sessions/load.js');
  const { itemCaptions, selectFiles, sidecarCaptions, startSession, uploadedFiles } = await import('../../services/sessions/newSession.js');
  const { checkGivenSettings, checkScheduleSettings } = await import('../../services/sessions/settings.js');
  const { checkTemplate } = await import('../../services/captions/template.js');
  const { checkLookChange } = await import('../../services/sessions/sessionLook.js');
  const q = await import('../../cli/sessionQuestions.js');
  const flagLook = { look: lookFlags(o), post: postFlags(o) };
  checkFlags(o);
  for (const warning of checkLookChange(flagLook)) ctx.io.warn(warningText(warning));
  checkGivenSettings({ frequency: o.frequency, maxPerDay: o.maxPerDay, perGroup: o.perGroup });
  if (o.captionTemplate !== undefined) checkTemplate(o.captionTemplate);
  const backend = await ctx.backend();

  const selected = o.files?.length
    ? await selectFiles(backend.rows, { by: 'ids', ids: o.files }, o.type)
    : o.from !== undefined
      ? await selectFiles(backend.rows, { by: 'dir', dir: o.from }, o.type)
      : await q.askFiles(ctx, await uploadedFiles(backend.rows), o);
  if (selected.length === 0) {
    throw new UsageError('no files selected: a session needs at least one.', { hint: `pass ${q.SELECTION_FLAG}` });
  }
  const ordered = await q.askOrder(ctx, o.order, selected, random);
  const sidecars = await sidecarCaptions(ordered);
  const chosen = await itemCaptions(ordered, sidecars, await q.askCaptions(ctx, ordered, sidecars, o));
  const { captions } = chosen;
  const warnings = chosen.warnings.map(warningText);
  for (const warning of warnings) ctx.io.warn(warning);
  const settings = await q.askSchedule(ctx, o, ordered.length);
  checkScheduleSettings(settings, ordered.length);
  const photo = ordered.findIndex((c) => c.file.file_type === 'image');
  const look = await q.askLook(ctx, flagLook.look, configLook(ctx.config), photo === -1 ? null : { item: ordered[photo] as Candidate, caption: captions[photo] });

  const active = await activeSession(backend.rows);
  if (ctx.io.canPrompt) summarise(ctx, ordered, captions, settings, active);
  if (!(await agreed(o, ctx, active))) {
    ctx.io.info('Nothing created.');
    return null;
  }
  const created = await startSession(backend, { items: ordered, captions, settings, look: { look, post: flagLook.post }, replaceActive: active !== null });
  const result: SessionNewResult = { session: created.session, items: created.items, replaced: active?.id ?? null, warnings };
  report(ctx, result);
  return result;
}

function checkFlags(o: SessionNewOptions): void {
  const given = [o.files?.length ? '--files' : '', o.all ? '--all' : '', o.from !== undefined ? '--from' : ''].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} both choose the files; pass only one.`);
}

function summarise(
  ctx: Pick<Context, 'io' | 'config'>,
  items: Candidate[],
  captions: ResolvedCaption[],
  s: ScheduleSettings,
  active: MediaSession | null,
): void {
  const photos = items.filter((c) => c.file.file_type === 'image').length;
  ctx.io.info('');
  ctx.io.info(`${plural(items.length, 'item')}: ${plural(photos, 'photo')}, ${plural(items.length - photos, 'clip')}`);
  const shown = items.slice(0, 8).map((c, i) => [`  ${i + 1}`, c.name, oneLine(captions[i]?.caption ?? null)]);
  for (const line of table(shown)) ctx.io.info(line);
  if (items.length > 8) ctx.io.info(`  … and ${items.length - 8} more`);
  ctx.io.info(scheduleLine({ frequency: s.frequency, max_per_day: s.maxPerDay, per_group: s.perGroup }));
  if (active) ctx.io.info(`This stops the active session ${active.id.slice(0, 8)} (started ${when(active.started_at, ctx.config.timeZone())}).`);
}

async function agreed(o: SessionNewOptions, ctx: Pick<Context, 'io' | 'prompter'>, active: MediaSession | null): Promise<boolean> {
  if (o.yes) return true;
  if (active) {
    return ctx.prompter.confirm({
      message: `Session ${active.id.slice(0, 8)} is active: stop it and make the new one active?`,
      flag: '--yes',
      default: true,
    });
  }
  if (!ctx.io.canPrompt) return true;
  return ctx.prompter.confirm({ message: 'Create this session?', flag: '--yes', default: true });
}

function report(ctx: Pick<Context, 'io'>, r: SessionNewResult): void {
  if (ctx.io.json) {
    ctx.io.printJson(r);
    return;
  }
  if (r.replaced) ctx.io.info(`Stopped session ${r.replaced.slice(0, 8)}.`);
  ctx.io.out(`Created session ${r.session.id.slice(0, 8)}, now the active one: ${plural(r.items.length, 'item')}, ${scheduleLine(r.session)}.`);
}
