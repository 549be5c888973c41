import { Option } from 'commander';
import { positiveInt, type Register } from '../../cli/command.js';
import { addLookOptions, addPostOptions, lookFlags, postFlags, type PostFlags } from '../../cli/lookFlags.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { LookFlags } from '../../services/render/look.js';
import type { EditResult } from '../../services/sessions/edit.js';
import { ORDERS, type OrderName } from '../../services/sessions/order.js';
import { scheduleLine } from './format.js';

export interface SessionEditOptions extends LookFlags, PostFlags {
  id: string;
  /** `N=TEXT`: item N (as `slides session show` numbers it) gets TEXT; `N=` removes its caption. */
  caption?: string[];
  captions?: string;
  captionTemplate?: string;
  order?: OrderName;
  frequency?: number;
  maxPerDay?: number;
  perGroup?: number;
}

export const register: Register = (parent, run) => {
  const command = parent
    .command('edit')
    .description("change a session's captions, order, schedule, look or post text")
    .argument('<id>', 'session id (8 characters are enough)')
    .option('--caption <n=text>', 'caption item N (as slides session show numbers them); N= removes it; repeatable', collect)
    .option('--captions <file>', 'captions: one per line in session order, or .json/.csv (comma or semicolon) mapping file name → caption')
    .option('--caption-template <template>', 'caption every item the options above do not: {n}, {total}, {name}, {file}')
    .addOption(new Option('--order <order>', 'reorder the items').choices(ORDERS))
    .option('--frequency <n>', 'slide groups per day', positiveInt)
    .option('--max-per-day <n>', 'at most this many groups a day, manual renders included', positiveInt)
    .option('--per-group <n>', 'slides per group', positiveInt);
  addPostOptions(addLookOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  slides session edit 1a2b3c4d --caption "3=sunset at the pier 🌅 | golden hour" --frequency 2 --max-per-day 3\n  slides session edit 1a2b3c4d --style outline --audio song.m4a --hashtags "#lisbon"',
    )
    .action(
      run(async (ctx, id: string, flags: Omit<SessionEditOptions, 'id'>) => {
        await runSessionEdit({ ...flags, id }, ctx);
      }),
    );
};

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export async function runSessionEdit(o: SessionEditOptions, ctx: Pick<Context, 'io' | 'backend'>, random?: () => number): Promise<EditResult> {
  const captions = parseCaptionFlags(o.caption ?? []);
  const settings = { frequency: o.frequency, maxPerDay: o.maxPerDay, perGroup: o.perGroup };
  const look = lookFlags(o);
  const post = postFlags(o);
  const nothing =
    captions.size === 0 &&
    o.captions === undefined &&
    o.captionTemplate === undefined &&
    o.order === undefined &&
    [settings, look, post].every((given) => Object.values(given).every((v) => v === undefined));
  if (nothing) {
    throw new UsageError('nothing to change.', {
      hint: 'pass --caption N=TEXT, --captions FILE, --caption-template T, --order, --frequency, --max-per-day, --per-group or a look or post flag (see --help)',
    });
  }
  const { readCaptionsFile } = await import('../../services/captions/captionsFile.js');
  const { checkTemplate } = await import('../../services/captions/template.js');
  const { editSession } = await import('../../services/sessions/edit.js');
  if (o.captionTemplate !== undefined) checkTemplate(o.captionTemplate);
  const captionsFile = o.captions === undefined ? undefined : await readCaptionsFile(o.captions);
  const result = await editSession(
    await ctx.backend(),
    o.id,
    { captions, captionsFile, captionTemplate: o.captionTemplate, order: o.order, settings, look, post },
    random,
  );
  const { warningText } = await import('../../cli/settingFlags.js');
  for (const warning of result.warnings) ctx.io.warn(warningText(warning));
  if (ctx.io.json) {
    ctx.io.printJson({ ...result, warnings: result.warnings.map(warningText) });
  } else {
    const changes = [
      `${result.captionsChanged} caption${result.captionsChanged === 1 ? '' : 's'} changed`,
      result.reordered ? 'reordered' : '',
      result.lookChanged ? 'look and post settings saved' : '',
      result.uploaded.length > 0 ? `uploaded ${result.uploaded.join(', ')}` : '',
      scheduleLine(result.session),
    ].filter(Boolean);
    ctx.io.out(`Session ${result.session.id.slice(0, 8)}: ${changes.join('; ')}.`);
  }
  return result;
}

function parseCaptionFlags(values: string[]): Map<number, string> {
  const captions = new Map<number, string>();
  for (const value of values) {
    const match = /^\s*(\d+)\s*=/.exec(value);
    const n = match ? Number(match[1]) : NaN;
    if (!match || n < 1) {
      throw new UsageError(`--caption ${JSON.stringify(value)}: expected N=TEXT, N the item number from 1.`, {
        hint: 'slides session show lists the items with their numbers',
      });
    }
    captions.set(n, value.slice(match[0].length));
  }
  return captions;
}
