import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp, { type Sharp } from 'sharp';
import type { Warning } from '../warning.js';
import type { Canvas } from './canvas.js';
import { drawCaption, type CaptionOptions } from './caption/caption.js';
import { captionWarning } from './caption/warnings.js';
import { BACKDROP_BLUR_SIGMA, BACKDROP_BRIGHTNESS, backdropSize, containPlacement, type FitMode } from './fit.js';
import { inspectSource, openSource, unreadable } from './source.js';

// libvips caches decoded images and operations for reuse; every slide reads its own photo once,
// so the cache only holds memory (~25 MB less peak over 100 slides, bench/render.bench.js).
sharp.cache(false);

export type SlideFormat = 'jpeg' | 'png';

/** A photo fitted to the canvas with its caption drawn in the caption's look. */
export interface SlideSpec extends CaptionOptions {
  /** Path of the photo. */
  source: string;
  fit: FitMode;
  caption?: string;
  format?: SlideFormat;
}

export interface SlideResult {
  warnings: Warning[];
}

/** Renders one slide: the photo fitted to the canvas, the caption burned in, encoded for TikTok. */
export async function renderSlide(spec: SlideSpec, outPath: string): Promise<SlideResult> {
  const [caption, size] = await Promise.all([
    spec.caption ? drawCaption(spec.caption, spec) : undefined,
    inspectSource(spec.source),
  ]);
  const overlays = caption?.svg ? [{ input: Buffer.from(caption.svg) }] : [];
  let encoded: Buffer;
  try {
    const canvasImage = spec.fit === 'contain' ? await containCanvas(spec.source, size, spec.canvas) : coverCanvas(spec);
    encoded = await encode(canvasImage.composite(overlays), spec.format ?? 'jpeg');
  } catch (error) {
    throw unreadable(spec.source, error);
  }
  await writeFile(outPath, encoded);
  return { warnings: caption?.warnings.map(captionWarning) ?? [] };
}

function coverCanvas(spec: SlideSpec): Sharp {
  return openSource(spec.source).resize(spec.canvas.width, spec.canvas.height, { fit: 'cover', position: 'attention' });
}

/** The photo whole, centred over a blurred, darkened copy of itself filling the canvas. */
async function containCanvas(source: string, size: { width: number; height: number }, canvas: Canvas): Promise<Sharp> {
  const place = containPlacement(size, canvas);
  const photo = await openSource(source).resize(place.width, place.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: photo.info.width, height: photo.info.height, channels: photo.info.channels };
  const small = backdropSize(canvas);
  const backdrop = await sharp(photo.data, { raw })
    .resize(small.width, small.height, { fit: 'cover' })
    .blur(BACKDROP_BLUR_SIGMA)
    .modulate({ brightness: BACKDROP_BRIGHTNESS })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const backdropRaw = { width: backdrop.info.width, height: backdrop.info.height, channels: backdrop.info.channels };
  const full = await sharp(backdrop.data, { raw: backdropRaw })
    .resize(canvas.width, canvas.height, { fit: 'fill', kernel: 'mitchell' })
    .composite([{ input: photo.data, raw, left: place.left, top: place.top }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(full.data, { raw: { width: full.info.width, height: full.info.height, channels: full.info.channels } });
}

/** The caption composite adds an alpha channel; a slide is opaque. */
function encode(image: Sharp, format: SlideFormat): Promise<Buffer> {
  const srgb = image.removeAlpha().toColourspace('srgb');
  return format === 'png' ? srgb.png().toBuffer() : srgb.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
}

/** `slide-01.jpg`, `slide-02.jpg`… in the order given. */
export function slideFileName(index: number, format: SlideFormat = 'jpeg'): string {
  return `slide-${String(index + 1).padStart(2, '0')}.${format === 'png' ? 'png' : 'jpg'}`;
}

/**
 * Renders a group of slides into `outDir`, a few at a time so memory stays flat however many
 * there are. Warnings are prefixed with the slide's file name.
 */
export async function renderSlides(
  specs: readonly SlideSpec[],
  outDir: string,
  options: { concurrency?: number } = {},
): Promise<{ files: string[]; warnings: Warning[] }> {
  await mkdir(outDir, { recursive: true });
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const results = await Promise.all(
    specs.map((spec, i) =>
      limit(async () => {
        const file = join(outDir, slideFileName(i, spec.format));
        const { warnings } = await renderSlide(spec, file);
        return { file, warnings: warnings.map((w) => ({ ...w, text: `${slideFileName(i, spec.format)}: ${w.text}` })) };
      }),
    ),
  );
  return { files: results.map((r) => r.file), warnings: results.flatMap((r) => r.warnings) };
}
