import sharp, { type Metadata, type Sharp } from 'sharp';
import { UsageError } from '../errors.js';

/** Input formats a slide accepts: libvips decodes them without system codecs. */
const READABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif', 'jp2', 'svg']);

const CONVERT_HINT = 'export it as JPEG or PNG and try again';

/** Reads the header of a slide's source: its upright size, or a usage error naming the file. */
export async function inspectSource(path: string): Promise<{ width: number; height: number; format: string }> {
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch (error) {
    throw unreadable(path, error);
  }
  const format = meta.format ?? 'unknown';
  if (!READABLE.has(format)) {
    throw new UsageError(`${path}: ${format} images are not supported.`, { hint: CONVERT_HINT });
  }
  if (format === 'heif' && meta.compression === 'hevc') {
    throw new UsageError(`${path}: HEIC (HEVC) photos cannot be decoded here.`, {
      hint: 'export it as JPEG (iPhone: Settings › Camera › Formats › Most Compatible)',
    });
  }
  const { width, height } = meta.autoOrient;
  if (!width || !height) throw new UsageError(`${path}: the image has no size.`, { hint: CONVERT_HINT });
  return { width, height, format };
}

/**
 * The source decoded upright (EXIF orientation applied), first frame only, transparency
 * flattened onto black and colours converted to sRGB (CMYK, greyscale and 16-bit alike).
 */
export function openSource(path: string): Sharp {
  return sharp(path, { pages: 1, failOn: 'error' }).autoOrient().flatten({ background: '#000000' }).toColourspace('srgb');
}

/** A decoding failure as the user's problem with that file. */
export function unreadable(path: string, error: unknown): UsageError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if ((error as NodeJS.ErrnoException).code === 'ENOENT' || /Input file is missing/.test(reason ?? '')) {
    return new UsageError(`${path}: no such file.`);
  }
  return new UsageError(`${path}: not an image we can read (${reason}).`, { hint: CONVERT_HINT, cause: error });
}
