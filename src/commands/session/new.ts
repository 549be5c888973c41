import { Option } from 'commander';
import { positiveInt, type Register } from '../../cli/command.js';
import { warningText } from '../../cli/settingFlags.js';
import { addLookOptions, addPostOptions, lookFlags, postFlags, type PostFlags } from '../../cli/lookFlags.js';
import type { Context } from '../../context.js';
import type { Rows } from '../../db/backend.js';
import type { MediaSession, MediaType, SessionMediaItem } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import type { ResolvedCaption } from '../../services/captions/resolve.js';
import type { Candidate } from '../../services/sessions/candidates.js';
import { ORDERS, orderCandidates, type OrderName } from '../../services/sessions/order.js';
import type { LookFlags } from '../../services/render/look.js';
import type { ScheduleSettings } from '../../services/sessions/settings.js';
import type { Warning } from '../../warning.js';
import { oneLine, plural, scheduleLine, when } from './format.js';
import { table } from '../../cli/table.js';

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

const SELECTION_FLAG = '--files ID… | --all | --from DIR';

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
  ctx: Pick<Context, 'io' | 'prompter' | 'backend' | 'config'>,
  random: () => number = Math.random,
): Promise<SessionNewResult | null> {
  const { activeSession } = await import('../../services/sessions/load.js');
  const { createSession } = await import('../../services/sessions/create.js');
  const { checkGivenSettings, checkScheduleSettings } = await import('../../services/sessions/settings.js');
  const { checkTemplate } = await import('../../services/captions/template.js');
  const { checkLookChange, applyLookChange } = await import('../../services/sessions/sessionLook.js');
  const lookChange = { look: lookFlags(o), post: postFlags(o) };
  checkFlags(o);
  for (const warning of checkLookChange(lookChange)) ctx.io.warn(warningText(warning));
  checkGivenSettings({ frequency: o.frequency, maxPerDay: o.maxPerDay, perGroup: o.perGroup });
  if (o.captionTemplate !== undefined) checkTemplate(o.captionTemplate);
  const { rows } = await ctx.backend();

  const selected = await chooseFiles(o, ctx, rows);
  if (selected.length === 0) {
    throw new UsageError('no files selected: a session needs at least one.', { hint: `pass ${SELECTION_FLAG}` });
  }
  const ordered = await chooseOrder(o, ctx, selected, random);
  const chosen = await chooseCaptions(o, ctx, ordered);
  const { captions } = chosen;
  const warnings = chosen.warnings.map(warningText);
  for (const warning of warnings) ctx.io.warn(warning);
  const settings = await chooseSettings(o, ctx, ordered.length);
  checkScheduleSettings(settings, ordered.length);

  const active = await activeSession(rows);
  if (ctx.io.canPrompt) summarise(ctx, ordered, captions, settings, active);
  if (!(await agreed(o, ctx, active))) {
    ctx.io.info('Nothing created.');
    return null;
  }
  const stored = await applyLookChange(await ctx.backend(), lookChange);
  const created = await createSession(rows, {
    items: ordered.map((candidate, i) => ({ candidate, caption: captions[i]?.caption || null })),
    settings,
    replaceActive: active !== null,
    stored,
  });
  const result: SessionNewResult = { ...created, replaced: active?.id ?? null, warnings };
  report(ctx, result);
  return result;
}

function checkFlags(o: SessionNewOptions): void {
  const given = [o.files?.length ? '--files' : '', o.all ? '--all' : '', o.from !== undefined ? '--from' : ''].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} both choose the files; pass only one.`);
}

/** The flag's value when given; on a terminal the question; elsewhere the default, or the refusal naming the flag. */
async function ask<T>(ctx: Pick<Context, 'io'>, given: T | undefined, fallback: T | undefined, question: () => Promise<T>): Promise<T> {
  if (given !== undefined) return given;
  if (!ctx.io.canPrompt && fallback !== undefined) return fallback;
  return question();
}

async function chooseFiles(o: SessionNewOptions, ctx: Pick<Context, 'io' | 'prompter'>, rows: Rows): Promise<Candidate[]> {
  const { allCandidates, candidatesByIds } = await import('../../services/sessions/candidates.js');
  if (o.files?.length) return candidatesByIds(rows, o.files, o.type);
  if (o.from !== undefined) {
    const { candidatesFromDir } = await import('../../services/sessions/fromDir.js');
    return candidatesFromDir(rows, o.from, o.type);
  }
  const everything = await allCandidates(rows);
  if (everything.length === 0) throw new UsageError('you have no uploaded files yet.', { hint: 'slides upload DIR' });
  const photos = everything.filter((c) => c.file.file_type === 'image').length;
  const clips = everything.length - photos;
  const type = await ask<MediaType | 'all'>(ctx, o.type, 'all', async () =>
    photos === 0 || clips === 0
      ? 'all'
      : ctx.prompter.select<MediaType | 'all'>({
          message: 'Which files?',
          flag: '--type',
          choices: [
            { name: `photos and clips (${everything.length})`, value: 'all' },
            { name: `photos only (${photos})`, value: 'image' },
            { name: `clips only (${clips})`, value: 'video' },
          ],
        }),
  );
  const offered = orderCandidates(type === 'all' ? everything : everything.filter((c) => c.file.file_type === type), 'name');
  if (o.all) return offered;
  const labels = table(offered.map((c) => [c.name, c.file.file_type, dimensions(c), c.date.toISOString().slice(0, 10)]));
  const ids = await ctx.prompter.checkbox<string>({
    message: 'Choose the files',
    flag: SELECTION_FLAG,
    choices: offered.map((c, i) => ({ name: labels[i] ?? c.name, short: c.name, value: c.file.id })),
    pageSize: 15,
  });
  const chosen = new Set(ids);
  return offered.filter((c) => chosen.has(c.file.id));
}

function dimensions(c: Candidate): string {
  const { width, height, duration_seconds: seconds } = c.file;
  const size = width && height ? `${width}×${height}` : '';
  return seconds !== null ? `${size} ${seconds.toFixed(1)}s`.trim() : size;
}

async function chooseOrder(
  o: SessionNewOptions,
  ctx: Pick<Context, 'io' | 'prompter'>,
  selected: Candidate[],
  random: () => number,
): Promise<Candidate[]> {
  const { applyReorder, reorderProblem } = await import('../../services/sessions/order.js');
  const order = await ask<OrderName | 'manual'>(ctx, o.order, 'name', () =>
    ctx.prompter.select<OrderName | 'manual'>({
      message: 'Order of the slides',
      flag: '--order',
      default: 'name',
      choices: [
        { name: 'by name', value: 'name' },
        { name: 'by date, oldest first', value: 'date' },
        { name: 'shuffled', value: 'shuffle' },
        { name: 'by hand', value: 'manual' },
      ],
    }),
  );
  if (order !== 'manual') return orderCandidates(selected, order, random);
  const byName = orderCandidates(selected, 'name');
  byName.forEach((c, i) => ctx.io.info(`  ${String(i + 1).padStart(3)}  ${c.name}`));
  const answer = await ctx.prompter.input({
    message: 'New order: the numbers above, first to last (the ones left out follow in this order)',
    flag: '--order',
    validate: (v) => reorderProblem(v, byName.length) ?? true,
  });
  return applyReorder(byName, answer);
}

async function chooseCaptions(
  o: SessionNewOptions,
  ctx: Pick<Context, 'io' | 'prompter'>,
  items: Candidate[],
): Promise<{ captions: ResolvedCaption[]; warnings: Warning[] }> {
  const { readSidecarCaption } = await import('../../services/captions/sidecar.js');
  const { readCaptionsFile } = await import('../../services/captions/captionsFile.js');
  const { checkTemplate, templateProblem } = await import('../../services/captions/template.js');
  const { resolveCaptions } = await import('../../services/captions/resolve.js');
  const sidecars = await Promise.all(items.map((c) => (c.localPath ? readSidecarCaption(c.localPath) : null)));
  let captionsFile = o.captions;
  let template = o.captionTemplate;
  let explicit: (string | null)[] = [];
  if (captionsFile === undefined && template === undefined && ctx.io.canPrompt) {
    const found = sidecars.filter((s) => s !== null).length;
    const choice = await ctx.prompter.select<'template' | 'file' | 'type' | 'none'>({
      message:
        found > 0
          ? `Captions: ${found} of ${items.length} files have a caption file beside them; the others get`
          : 'Captions',
      flag: '--captions FILE | --caption-template T',
      choices: [
        { name: 'a template, such as "Day {n} of {total}"', value: 'template' },
        { name: 'a captions file (one per line, or .json/.csv by file name)', value: 'file' },
        { name: 'typed here, one by one', value: 'type' },
        { name: 'no caption', value: 'none' },
      ],
    });
    if (choice === 'template') {
      template = await ctx.prompter.input({
        message: 'Template ({n} position, {total} items, {name} file name; " | " between alternatives)',
        flag: '--caption-template',
        default: 'Day {n} of {total}',
        validate: (v) => templateProblem(v) ?? true,
      });
    } else if (choice === 'file') {
      captionsFile = await ctx.prompter.input({
        message: 'Captions file',
        flag: '--captions',
        validate: (v) => (v.trim() ? true : 'give a file path'),
      });
    } else if (choice === 'type') {
      explicit = [];
      for (const [i, c] of items.entries()) {
        if (sidecars[i] !== null) {
          explicit.push(null);
          continue;
        }
        const typed = await ctx.prompter.input({
          message: `Caption for ${c.name} (empty for none; " | " between alternatives)`,
          flag: '--captions',
        });
        explicit.push(typed === '' ? null : typed);
      }
    }
  }
  if (template !== undefined) checkTemplate(template);
  const file = captionsFile === undefined ? undefined : await readCaptionsFile(captionsFile.trim());
  return resolveCaptions(
    items.map((c, i) => ({ name: c.name, sourceFileId: c.file.id, sidecar: sidecars[i], explicit: explicit[i] })),
    { file, template },
  );
}

async function chooseSettings(o: SessionNewOptions, ctx: Pick<Context, 'io' | 'prompter'>, count: number): Promise<ScheduleSettings> {
  const { DEFAULT_PER_GROUP, positiveIntProblem } = await import('../../services/sessions/settings.js');
  const number = async (message: string, flag: string, byDefault: number, extra?: (n: number) => string | null) =>
    Number(
      await ctx.prompter.input({
        message,
        flag,
        default: String(byDefault),
        validate: (v) => positiveIntProblem(v) ?? extra?.(Number(v)) ?? true,
      }),
    );
  const frequency = await ask(ctx, o.frequency, undefined, () => number('Slide groups per day', '--frequency', 1));
  const maxPerDay = await ask(ctx, o.maxPerDay, frequency, () =>
    number('At most how many groups a day (manual renders included)', '--max-per-day', frequency, (n) =>
      n < frequency ? `at least the frequency (${frequency})` : null,
    ),
  );
  const perGroupDefault = Math.min(DEFAULT_PER_GROUP, count);
  const perGroup = await ask(ctx, o.perGroup, perGroupDefault, () =>
    number('Slides per group', '--per-group', perGroupDefault, (n) => (n > count ? `at most ${count}, the number of items` : null)),
  );
  return { frequency, maxPerDay, perGroup };
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
