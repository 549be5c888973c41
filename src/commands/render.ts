import { basename, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import type { Register } from '../cli/command.js';
import { addLookOptions, configLook, lookFlagValues } from '../cli/lookFlags.js';
import { parseHoldRange, type HoldRange } from '../media/beats/cuts.js';
import type { Context } from '../context.js';
import { DayCapReached } from '../errors.js';
import type { LookFlags } from '../services/render/look.js';
import type { GroupResult } from '../services/render/group.js';

/** The render's flags: the look's (src/services/render/look.ts) and the render's own. */
export interface RenderCommandOptions extends LookFlags {
  session?: string;
  out?: string;
  video: boolean;
  upload: boolean;
  force?: boolean;
  /** The same setting as `beatOffset`, for those who think of it as where the audio starts. */
  audioStart?: number;
}

export function seconds(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0.');
  return n;
}

export function secondsOrZero(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds, 0 or more.');
  return n;
}

/** `1.5-4`: the shortest and the longest hold, in seconds. */
export function holdRange(raw: string): HoldRange {
  const range = parseHoldRange(raw);
  if (!range) throw new InvalidArgumentError('expected the shortest and the longest hold in seconds, such as 1.5-4.');
  return range;
}

/** --beat-offset and --audio-start name one setting: both given, they must agree. */
export function beatOffsetOf(o: Pick<RenderCommandOptions, 'beatOffset' | 'audioStart'>): number | undefined {
  if (o.beatOffset !== undefined && o.audioStart !== undefined && o.beatOffset !== o.audioStart) {
    throw new UsageError(`--beat-offset ${o.beatOffset} and --audio-start ${o.audioStart} say different things: they are the same setting.`, {
      hint: 'pass one of them',
    });
  }
  return o.beatOffset ?? o.audioStart;
}

export const register: Register = (parent, run) => {
  const command = parent
    .command('render')
    .description('render the next slide group of the active session, push it to Exports and record it')
    .option('--session <id>', 'render this session instead of the active one')
    .option('--out <dir>', 'where group folders are written (default: the data folder, see below)')
    .option('--no-video', 'slides and manifest only')
    .option('--no-upload', 'keep the group local, do not push it to Exports')
    .option('--force', "render even past the session's max per day");
  addLookOptions(command)
    .option('--audio-start <seconds>', 'the same as --beat-offset', secondsOrZero)
    .addHelpText(
      'after',
      [
        '',
        'Writes <out>/<session id>/<group timestamp>/ with slide-01.jpg…, video.mp4 and manifest.json,',
        'then uploads it to Exports/<user id>/<session id>/<group timestamp>/ (manifest.json last).',
        'Default <out>: groups/ in the data folder ($SLIDES_HOME/data, else ~/.local/share/slides).',
        '',
        "The look: these flags, else the session's (slides session new|edit take the same flags), else",
        'the settings render.preset and render.style, else the defaults shown (slides session show lists',
        'where each value comes from).',
        '',
        'Examples:',
        '  slides render',
        '  slides render --style box --position bottom --motion kenburns --audio song.mp3',
        '  slides render --audio song.mp3 --beats --hold-range 1.5-3 --beat-offset 32.5',
        '  slides render --style translucent --align left --caption-size l',
        '  slides render --no-upload --no-video --out ./preview',
      ].join('\n'),
    )
    .action(
      run(async (ctx, flags: RenderCommandOptions) => {
        await runRender(flags, ctx);
      }),
    );
};

export async function runRender(o: RenderCommandOptions, ctx: Context): Promise<GroupResult & { exportsOnDisk?: string; signedUrls: Record<string, string> }> {
  const { renderSlideGroup } = await import('../services/render/renderSlideGroup.js');
  const { renderProgress } = await import('../cli/renderProgress.js');
  const backend = await ctx.backend();
  const timeZone = ctx.config.timeZone();
  const result = await renderSlideGroup(
    {
      backend,
      clock: ctx.clock,
      paths: ctx.paths,
      timeZone,
      onProgress: renderProgress(ctx.io, { timeZone }),
    },
    {
      sessionId: o.session,
      outDir: o.out === undefined ? undefined : resolve(o.out),
      video: o.video,
      upload: o.upload,
      ...lookFlagValues({ ...o, beatOffset: beatOffsetOf(o) }),
      lookDefaults: configLook(ctx.config),
      force: Boolean(o.force),
    },
  ).catch((error: unknown) => {
    throw error instanceof DayCapReached ? new DayCapReached(error.message, { hint: 'pass --force to render one more anyway', cause: error }) : error;
  });
  const { exportLinks } = await import('../services/render/exportLinks.js');
  const { onDisk: exportsOnDisk, signedUrls } = result.exports ? await exportLinks(backend.storage, result.exports) : { signedUrls: {} };
  const { warningText } = await import('../cli/settingFlags.js');
  for (const warning of result.warnings) ctx.io.warn(warningText(warning));
  if (ctx.io.json) ctx.io.printJson({ ...result, warnings: result.warnings.map(warningText), exportsOnDisk, signedUrls });
  else printGroup(ctx, result, signedUrls, exportsOnDisk);
  return { ...result, exportsOnDisk, signedUrls };
}

function printGroup(ctx: Context, r: GroupResult, signedUrls: Record<string, string>, exportsOnDisk: string | undefined): void {
  const { io } = ctx;
  const cap = r.maxPerDay === null ? '' : ` of ${r.maxPerDay}`;
  io.out(io.style.bold(`Slide group ${r.groupNumber} done (${r.createdToday}${cap} today)`));
  io.out(`  folder   ${r.folder}`);
  io.out(`  slides   ${r.slides.length}: ${r.slides.map((s) => basename(s)).join(', ')}`);
  if (r.video) io.out(`  video    ${r.video}`);
  io.out(`  manifest ${r.manifest}`);
  if (r.exports) {
    io.out(`  Exports  ${r.exports.folder}/`);
    if (exportsOnDisk) io.out(`  on disk  ${exportsOnDisk}`);
  } else io.out(io.style.dim('  not uploaded (--no-upload)'));
  const urls = Object.entries(signedUrls);
  if (urls.length > 0) {
    io.out('Links valid for 24 hours:');
    for (const [name, url] of urls) io.out(`  ${name}  ${url}`);
  }
}
