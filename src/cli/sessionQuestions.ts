/**
 * The questions `slides session new` asks on a terminal, each answered by its flag when given.
 * Without a terminal a question with a default takes it, and one without is a usage error naming
 * the flag (the refusing prompter).
 */
import { join } from 'node:path';
import type { Context } from '../context.js';
import type { MediaType } from '../db/types.js';
import { CAPTION_POSITIONS, CAPTION_STYLES, type CaptionPosition, type CaptionStyle } from '../media/caption/look.js';
import type { ResolvedCaption } from '../services/captions/resolve.js';
import { templateProblem } from '../services/captions/template.js';
import { resolveLook, type LookInput } from '../services/render/look.js';
import type { Candidate } from '../services/sessions/candidates.js';
import type { CaptionAnswers } from '../services/sessions/newSession.js';
import { applyReorder, orderCandidates, reorderProblem, type OrderName } from '../services/sessions/order.js';
import { DEFAULT_PER_GROUP, positiveIntProblem, type ScheduleSettings } from '../services/sessions/settings.js';
import { warningText } from './settingFlags.js';
import { table } from './table.js';

type Asking = Pick<Context, 'io' | 'prompter'>;

export const SELECTION_FLAG = '--files ID… | --all | --from DIR';

/** The flag's value when given; on a terminal the question; elsewhere the default, or the refusal naming the flag. */
async function ask<T>(ctx: Pick<Context, 'io'>, given: T | undefined, fallback: T | undefined, question: () => Promise<T>): Promise<T> {
  if (given !== undefined) return given;
  if (!ctx.io.canPrompt && fallback !== undefined) return fallback;
  return question();
}

/** Which of the uploads: photos, clips or both, then the ones ticked (all of them with `all`). */
export async function askFiles(ctx: Asking, uploads: Candidate[], o: { type?: MediaType; all?: boolean }): Promise<Candidate[]> {
  const photos = uploads.filter((c) => c.file.file_type === 'image').length;
  const clips = uploads.length - photos;
  const type = await ask<MediaType | 'all'>(ctx, o.type, 'all', async () =>
    photos === 0 || clips === 0
      ? 'all'
      : ctx.prompter.select<MediaType | 'all'>({
          message: 'Which files?',
          flag: '--type',
          choices: [
            { name: `photos and clips (${uploads.length})`, value: 'all' },
            { name: `photos only (${photos})`, value: 'image' },
            { name: `clips only (${clips})`, value: 'video' },
          ],
        }),
  );
  const offered = type === 'all' ? uploads : uploads.filter((c) => c.file.file_type === type);
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

export async function askOrder(ctx: Asking, given: OrderName | undefined, selected: Candidate[], random: () => number): Promise<Candidate[]> {
  const order = await ask<OrderName | 'manual'>(ctx, given, 'name', () =>
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

/** Where the captions come from, asked only on a terminal when no flag says it. */
export async function askCaptions(
  ctx: Asking,
  items: Candidate[],
  sidecars: readonly (string | null)[],
  given: { captions?: string; captionTemplate?: string },
): Promise<CaptionAnswers> {
  const answers: CaptionAnswers = { file: given.captions, template: given.captionTemplate };
  if (answers.file !== undefined || answers.template !== undefined || !ctx.io.canPrompt) return answers;
  const found = sidecars.filter((s) => s !== null).length;
  const choice = await ctx.prompter.select<'template' | 'file' | 'type' | 'none'>({
    message: found > 0 ? `Captions: ${found} of ${items.length} files have a caption file beside them; the others get` : 'Captions',
    flag: '--captions FILE | --caption-template T',
    choices: [
      { name: 'a template, such as "Day {n} of {total}"', value: 'template' },
      { name: 'a captions file (one per line, or .json/.csv by file name)', value: 'file' },
      { name: 'typed here, one by one', value: 'type' },
      { name: 'no caption', value: 'none' },
    ],
  });
  if (choice === 'template') {
    const template = await ctx.prompter.input({
      message: 'Template ({n} position, {total} items, {name} file name; " | " between alternatives)',
      flag: '--caption-template',
      default: 'Day {n} of {total}',
      validate: (v) => templateProblem(v) ?? true,
    });
    return { template };
  }
  if (choice === 'file') {
    const file = await ctx.prompter.input({ message: 'Captions file', flag: '--captions', validate: (v) => (v.trim() ? true : 'give a file path') });
    return { file };
  }
  if (choice === 'none') return {};
  const typed: (string | null)[] = [];
  for (const [i, c] of items.entries()) {
    if (sidecars[i] !== null) {
      typed.push(null);
      continue;
    }
    const text = await ctx.prompter.input({ message: `Caption for ${c.name} (empty for none; " | " between alternatives)`, flag: '--captions' });
    typed.push(text === '' ? null : text);
  }
  return { typed };
}

export async function askSchedule(
  ctx: Asking,
  given: { frequency?: number; maxPerDay?: number; perGroup?: number },
  count: number,
): Promise<ScheduleSettings> {
  const number = async (message: string, flag: string, byDefault: number, extra?: (n: number) => string | null) =>
    Number(
      await ctx.prompter.input({
        message,
        flag,
        default: String(byDefault),
        validate: (v) => positiveIntProblem(v) ?? extra?.(Number(v)) ?? true,
      }),
    );
  const frequency = await ask(ctx, given.frequency, undefined, () => number('Slide groups per day', '--frequency', 1));
  const maxPerDay = await ask(ctx, given.maxPerDay, frequency, () =>
    number('At most how many groups a day (manual renders included)', '--max-per-day', frequency, (n) =>
      n < frequency ? `at least the frequency (${frequency})` : null,
    ),
  );
  const perGroupDefault = Math.min(DEFAULT_PER_GROUP, count);
  const perGroup = await ask(ctx, given.perGroup, perGroupDefault, () =>
    number('Slides per group', '--per-group', perGroupDefault, (n) => (n > count ? `at most ${count}, the number of items` : null)),
  );
  return { frequency, maxPerDay, perGroup };
}

/** A graphical session to open a picture in: macOS and Windows always; elsewhere an X11 or Wayland display. */
export function hasDesktop(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' || platform === 'win32' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * On a terminal, the caption style and place where no flag gives them, then one slide drawn in
 * the whole look (written to a file it names, opened on a desktop) before the creator keeps it or
 * chooses again. Returns the look to store.
 */
export async function askLook(
  ctx: Asking & Pick<Context, 'browser' | 'paths' | 'env' | 'backend'>,
  given: LookInput,
  defaults: LookInput,
  first: { item: Candidate; caption: ResolvedCaption | undefined } | null,
): Promise<LookInput> {
  if (!ctx.io.canPrompt || (given.style !== undefined && given.position !== undefined)) return given;
  const { renderLookPreview } = await import('../services/sessions/lookPreview.js');
  const { sourcesCacheDir } = await import('../services/render/fetchSources.js');
  let look = given;
  for (;;) {
    const base = resolveLook({ flags: look, config: defaults }).look;
    const style =
      given.style ??
      (await ctx.prompter.select<CaptionStyle>({
        message: 'Caption style',
        flag: '--style',
        default: base.style,
        choices: CAPTION_STYLES.map((s) => ({ name: s, value: s })),
      }));
    const position =
      given.position ??
      (await ctx.prompter.select<CaptionPosition>({
        message: 'Caption place',
        flag: '--position',
        default: base.position,
        choices: CAPTION_POSITIONS.map((p) => ({ name: p, value: p })),
      }));
    look = { ...given, style, position };
    if (!first) {
      ctx.io.info('No photo to preview the look on (the session has clips only).');
      return look;
    }
    const out = join(ctx.paths.cache, 'previews', 'session-look.jpg');
    const preview = await renderLookPreview((await ctx.backend()).storage, {
      item: first.item,
      caption: first.caption?.caption ?? null,
      look,
      defaults,
      cacheDir: sourcesCacheDir(ctx.paths.cache),
      out,
    });
    for (const warning of preview.warnings) ctx.io.warn(warningText(warning));
    ctx.io.info(`Preview of the look, ${first.item.name} as group 1 shows it: ${preview.file}`);
    if (hasDesktop(ctx.env)) await ctx.browser.open(preview.file).catch(() => ctx.io.info('(could not open it here: open the file above)'));
    if (await ctx.prompter.confirm({ message: 'Keep this look?', flag: '--style', default: true })) return look;
  }
}
