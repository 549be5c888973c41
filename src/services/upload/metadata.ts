import { UsageError, messageOf } from '../../errors.js';
import type { DetectedMedia } from './detect.js';

export interface MediaMetadata {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
}

/** Upright size (and length for clips), or a UsageError when the file cannot be decoded. */
export function readMetadata(path: string, media: DetectedMedia): Promise<MediaMetadata> {
  return media.kind === 'image' ? imageMetadata(path, media) : clipMetadata(path, media);
}

async function imageMetadata(path: string, media: DetectedMedia): Promise<MediaMetadata> {
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(path, { failOn: 'truncated' }).metadata();
    // The header alone says nothing of the pixels: a JPEG cut short still has a perfect header.
    // Decoding at a small size reads every byte while libjpeg skips most of the work.
    await sharp(path, { failOn: 'truncated' }).resize(256, 256, { fit: 'inside' }).raw().toBuffer();
    const { width, height } = meta.autoOrient;
    return { width: width || null, height: height || null, durationSeconds: null };
  } catch (error) {
    throw new UsageError(`not a readable ${media.format} image (${firstLine(messageOf(error))})`, {
      hint: 'check it opens in an image viewer, or remove it',
      cause: error,
    });
  }
}

async function clipMetadata(path: string, media: DetectedMedia): Promise<MediaMetadata> {
  const { probeMedia } = await import('../../media/probe.js');
  let info;
  try {
    info = await probeMedia(path);
  } catch (error) {
    throw new UsageError(`not a readable ${media.format} clip (${probeReason(path, error)})`, {
      hint: 'check it plays in a media player, or remove it',
      cause: error,
    });
  }
  if (info.kind !== 'video') {
    throw new UsageError(`a ${media.format} file with no moving picture (${info.kind} only)`);
  }
  return { width: info.width ?? null, height: info.height ?? null, durationSeconds: info.durationSeconds ?? null };
}

/** probeMedia says "<path>: not a readable image, video or audio file (<ffprobe's words>)": keep the words. */
function probeReason(path: string, error: unknown): string {
  const message = messageOf(error);
  const own = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
  const words = /^not a readable image, video or audio file \((.*)\)$/s.exec(own)?.[1] ?? own;
  return words.replaceAll(`${path}: `, '');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
