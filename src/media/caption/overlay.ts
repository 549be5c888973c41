import sharp from 'sharp';
import type { Warning } from '../../warning.js';
import { drawCaption, type CaptionOptions } from './caption.js';
import { captionWarning } from './warnings.js';

/**
 * A full-canvas transparent PNG holding only the caption, laid out exactly as on a slide: what
 * the video renderer overlays on clips.
 */
export async function renderCaptionOverlay(
  text: string,
  options: CaptionOptions,
): Promise<{ png: Buffer; warnings: Warning[] }> {
  const { svg, warnings } = await drawCaption(text, options);
  const { width, height } = options.canvas;
  const blank = sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
  const png = await (svg === '' ? blank : blank.composite([{ input: Buffer.from(svg) }])).png().toBuffer();
  return { png, warnings: warnings.map(captionWarning) };
}
