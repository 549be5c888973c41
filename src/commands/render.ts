import { basename, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';
import { parseHoldRange, type HoldRange } from '../media/beats/cuts.js';
import { DayCapReached } from '../errors.js';
import { PRESET_NAMES, type PresetName } from '../media/canvas.js';
import {
  CAPTION_ALIGNS,
  CAPTION_POSITIONS,
  CAPTION_STYLES,
  parseCaptionSize,
  type CaptionAlign,
  type CaptionPosition,
  type CaptionStyle,
} from '../media/caption/look.js';
import { FIT_MODES, type FitMode } from '../media/fit.js';
import { TRANSITION_NAMES } from '../media/timeline.js';
import type { GroupResult, VideoSettings } from '../services/render/group.js';

/** The render's own video settings, as flags (the ffmpeg binary is not one). */
export interface RenderCommandOptions extends Omit<VideoSettings, 'ffmpegPath'> {
  session?: string;
  out?: string;
  video: boolean;
  upload: boolean;
  preset?: PresetName;
  style?: CaptionStyle;
  fit: FitMode;
  position: CaptionPosition;
  align?: CaptionAlign;
  captionSize?: string;
  textColor?: string;
  boxColor?: string;
  font?: string;
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
  parent
    .command('render')
    .description('render the next slide group of the active session, push it to Exports and record it')
    .option('--session <id>', 'render this session instead of the active one')
    .option('--out <dir>', 'where group folders are written (default: the data folder, see below)')
    .option('--no-video', 'slides and manifest only')
    .option('--no-upload', 'keep the group local, do not push it to Exports')
    .addOption(new Option('--preset <ratio>', 'canvas (default: setting render.preset, else 9:16)').choices(PRESET_NAMES))
    .addOption(new Option('--style <style>', 'caption look (default: setting render.style, else outline)').choices(CAPTION_STYLES))
    .addOption(new Option('--fit <mode>', 'cover crops, contain shows the whole photo').choices(FIT_MODES).default('cover'))
    .addOption(new Option('--position <where>', 'caption place in the safe zone').choices(CAPTION_POSITIONS).default('center'))
    .addOption(new Option('--align <side>', 'caption lines against the safe zone\'s left or right, or centred (default)').choices(CAPTION_ALIGNS))
    .option('--caption-size <size>', 's, m (default, TikTok\'s size), l, or pixels at 1080 wide; shrunk to fit')
    .option('--text-color <colour>', 'caption colour (#rrggbb or a name such as yellow)')
    .option('--box-color <colour>', 'box colour for --style box or translucent')
    .option('--font <file>', 'a font file for captions (TikTok Sans fills in what it lacks)')
    .option('--slide-duration <seconds>', 'how long each photo holds in the video (default 3)', seconds)
    .addOption(new Option('--transition <name>', 'between items in the video (default fade)').choices(TRANSITION_NAMES))
    .option('--transition-duration <seconds>', 'how long each transition takes (default 0.5)', secondsOrZero)
    .option('--max-clip-duration <seconds>', 'clips are cut to this length in the video (default 10)', seconds)
    .addOption(new Option('--motion <name>', 'slow zoom and pan over photos').choices(['none', 'kenburns']))
    .option('--audio <file>', 'background music, looped or trimmed to the video')
    .option('--beats', 'change slides on the beats of --audio (see slides preview-beats)')
    .option('--hold-range <min-max>', 'with --beats: the shortest and longest a slide may hold, in seconds (default 1.5-4)', holdRange)
    .option('--beat-offset <seconds>', 'start the song this far in, such as at its hook (default 0)', secondsOrZero)
    .option('--audio-start <seconds>', 'the same as --beat-offset', secondsOrZero)
    .option('--force', "render even past the session's max per day")
    .addHelpText(
      'after',
      [
        '',
        'Writes <out>/<session id>/<group timestamp>/ with slide-01.jpg…, video.mp4 and manifest.json,',
        'then uploads it to Exports/<user id>/<session id>/<group timestamp>/ (manifest.json last).',
        'Default <out>: groups/ in the data folder ($SLIDES_HOME/data, else ~/.local/share/slides).',
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
  const captionSize = o.captionSize === undefined ? undefined : parseCaptionSize(o.captionSize);
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
      preset: o.preset ?? ctx.config.get('render.preset') ?? '9:16',
      style: o.style ?? ctx.config.get('render.style') ?? 'outline',
      fit: o.fit,
      position: o.position,
      align: o.align,
      captionSize,
      textColor: o.textColor,
      boxColor: o.boxColor,
      font: o.font === undefined ? undefined : resolve(o.font),
      slideDuration: o.slideDuration,
      transition: o.transition,
      transitionDuration: o.transitionDuration,
      motion: o.motion,
      maxClipDuration: o.maxClipDuration,
      audio: o.audio === undefined ? undefined : resolve(o.audio),
      beats: o.beats,
      holdRange: o.holdRange,
      beatOffset: beatOffsetOf(o),
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
