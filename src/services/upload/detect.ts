import { extname } from 'node:path';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import { UsageError } from '../../errors.js';
import type { MediaType } from '../../db/types.js';

export interface DetectedMedia {
  kind: MediaType;
  /** The extension of the detected format, used in the object key. */
  ext: string;
  mime: string;
  format: string;
}

/** What the slide and video renderers can read: sharp's bundled decoders, ffmpeg's demuxers. */
const IMAGES: Record<string, string> = { jpg: 'JPEG', png: 'PNG', webp: 'WebP', gif: 'GIF', tif: 'TIFF', avif: 'AVIF' };
const VIDEOS: Record<string, string> = { mp4: 'MP4', mov: 'MOV', m4v: 'M4V', webm: 'WebM', mkv: 'MKV' };

export const SUPPORTED_FORMATS = `photos: ${Object.values(IMAGES).join(', ')}; clips: ${Object.values(VIDEOS).join(', ')}`;

const HEIC = new Set(['heic', 'heif']);

/**
 * Image or clip by the file's content (magic bytes), whatever its name says; from `head`, its
 * first bytes, when the caller has read them (readEnds: more than any format's signature needs).
 */
export async function detectMedia(path: string, head?: Uint8Array): Promise<DetectedMedia> {
  const type = head ? await fileTypeFromBuffer(head) : await fileTypeFromFile(path);
  if (type === undefined) {
    const named = extname(path).slice(1).toLowerCase();
    const claimed = IMAGES[named === 'jpeg' ? 'jpg' : named] ?? VIDEOS[named];
    const what = claimed ? `named .${named} but its content is not ${claimed}` : 'content not recognised as a photo or clip';
    throw new UsageError(`${what} (supported ${SUPPORTED_FORMATS})`);
  }
  const image = IMAGES[type.ext];
  if (image) return { kind: 'image', ext: type.ext, mime: type.mime, format: image };
  const video = VIDEOS[type.ext];
  if (video) return { kind: 'video', ext: type.ext, mime: type.mime, format: video };
  if (HEIC.has(type.ext)) {
    throw new UsageError('HEIC photos cannot be decoded here (the bundled image library has no HEVC decoder)', {
      hint: 'export it as JPEG (iPhone: Settings › Camera › Formats › Most Compatible)',
    });
  }
  throw new UsageError(`${type.ext.toUpperCase()} (${type.mime}) is not supported (supported ${SUPPORTED_FORMATS})`);
}
