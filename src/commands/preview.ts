import { extname, resolve } from 'node:path';
import { Option } from 'commander';
import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { PRESET_NAMES, PRESETS, type PresetName } from '../media/canvas.js';
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

export interface PreviewOptions {
  image: string;
  caption?: string;
  style: CaptionStyle;
  preset: PresetName;
  fit: FitMode;
  position: CaptionPosition;
  align?: CaptionAlign;
  captionSize?: string;
  textColor?: string;
  boxColor?: string;
  font?: string;
  out: string;
  open?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('preview')
    .description('render one slide from an image and a caption, to try a style fast')
    .argument('<image>', 'the photo (JPEG, PNG, WebP, AVIF, TIFF, GIF)')
    .option('-c, --caption <text>', 'the caption burned into the slide')
    .addOption(new Option('--style <style>', 'caption look').choices(CAPTION_STYLES).default('outline'))
    .addOption(new Option('--preset <ratio>', 'canvas').choices(PRESET_NAMES).default('9:16'))
    .addOption(new Option('--fit <mode>', 'cover crops, contain shows the whole photo').choices(FIT_MODES).default('cover'))
    .addOption(new Option('--position <where>', 'caption place in the safe zone').choices(CAPTION_POSITIONS).default('center'))
    .addOption(new Option('--align <side>', 'caption lines against the safe zone\'s left or right, or centred (default)').choices(CAPTION_ALIGNS))
    .option('--caption-size <size>', 's, m (default, TikTok\'s size), l, or pixels at 1080 wide; shrunk to fit')
    .option('--text-color <colour>', 'caption colour (#rrggbb or a name)')
    .option('--box-color <colour>', 'box colour for --style box or translucent')
    .option('--font <file>', 'a font file to draw the caption with (TikTok Sans fills in what it lacks)')
    .option('-o, --out <file>', 'where to write the slide (.jpg or .png)', 'slides-preview.jpg')
    .option('--open', 'open the slide when written')
    .addHelpText('after', '\nExample:\n  slides preview beach.jpg --caption "day 1 in Lisbon ✨" --style box --position bottom --open')
    .action(
      run(async (ctx, image: string, flags: Omit<PreviewOptions, 'image'>) => {
        await runPreview({ ...flags, image }, ctx);
      }),
    );
};

export async function runPreview(o: PreviewOptions, ctx: Pick<Context, 'io' | 'browser'>): Promise<{ file: string; warnings: string[] }> {
  const captionSize = o.captionSize === undefined ? undefined : parseCaptionSize(o.captionSize);
  const { renderSlide } = await import('../media/slide.js');
  const file = resolve(o.out);
  const ext = extname(file).toLowerCase();
  if (!['.jpg', '.jpeg', '.png'].includes(ext)) {
    throw new UsageError(`--out ${o.out}: a slide is written as .jpg or .png.`, { hint: 'end the file name in .jpg or .png' });
  }
  const rendered = await renderSlide(
    {
      source: o.image,
      canvas: PRESETS[o.preset],
      fit: o.fit,
      caption: o.caption,
      style: o.style,
      position: o.position,
      align: o.align,
      captionSize,
      textColor: o.textColor,
      boxColor: o.boxColor,
      fontFile: o.font,
      format: ext === '.png' ? 'png' : 'jpeg',
    },
    file,
  );
  const { warningText } = await import('../cli/settingFlags.js');
  const warnings = rendered.warnings.map(warningText);
  for (const warning of warnings) ctx.io.warn(warning);
  if (ctx.io.json) ctx.io.printJson({ file, warnings });
  else ctx.io.out(file);
  if (o.open) await ctx.browser.open(file);
  return { file, warnings };
}
