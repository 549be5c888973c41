import { open } from 'node:fs/promises';
import { UsageError, messageOf } from '../errors.js';
import { jpegHeader } from './jpegHeader.js';

/** What a photo or clip is: the kind of a source file that makes a slide (source_files.file_type). */
export type MediaType = 'image' | 'video';

/** What the file was detected to be (src/services/upload/detect.ts). */
export interface MediaKind {
  kind: MediaType;
  /** The detected format's extension: `jpg`, `png`, `mp4`… */
  ext: string;
  /** Its name for people: `JPEG`, `MP4`… */
  format: string;
}

export interface MediaMetadata {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
}

/**
 * Upright size (and length for clips), or a UsageError when the file cannot be decoded. `ends`,
 * when the caller has read them already (readEnds), spare reading them again.
 */
export function readMetadata(path: string, media: MediaKind, ends?: FileEnds): Promise<MediaMetadata> {
  return media.kind === 'image' ? imageMetadata(path, media, ends) : clipMetadata(path, media);
}

async function imageMetadata(path: string, media: MediaKind, given?: FileEnds): Promise<MediaMetadata> {
  // Whatever the header cannot tell (or a read trips over), libvips reads, and names.
  const ends = given ?? (await readEnds(path).catch(() => undefined));
  const whole = ends !== undefined && endsAs(ends, media.ext);
  const header = whole && media.ext === 'jpg' ? jpegHeader(ends.head) : undefined;
  if (header) return { width: header.width, height: header.height, durationSeconds: null };
  try {
    // libvips keeps one error buffer for all its threads: a load running beside a failing one can
    // clear it, and sharp then says only "Unknown error". Decoding again names what is wrong.
    return await decodeImage(path, whole).catch((error: unknown) => {
      if (messageOf(error) !== 'Unknown error') throw error;
      return decodeImage(path, whole);
    });
  } catch (error) {
    throw new UsageError(`not a readable ${media.format} image (${firstLine(messageOf(error))})`, {
      hint: 'check it opens in an image viewer, or remove it',
      cause: error,
    });
  }
}

async function decodeImage(path: string, whole: boolean): Promise<MediaMetadata> {
  const { default: sharp } = await import('sharp');
  const meta = await sharp(path, { failOn: 'truncated' }).metadata();
  // The header alone says nothing of the pixels: a JPEG cut short still has a perfect header.
  // One that ends as its format must was written whole; any other is decoded at a small size,
  // which reads every byte and names what is wrong (~11 ms a photo: 4x the rest of an upload).
  if (!whole) {
    await sharp(path, { failOn: 'truncated' }).resize(256, 256, { fit: 'inside' }).raw().toBuffer();
  }
  const { width, height } = meta.autoOrient;
  return { width: width || null, height: height || null, durationSeconds: null };
}

async function clipMetadata(path: string, media: MediaKind): Promise<MediaMetadata> {
  const { probeMedia } = await import('./probe.js');
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

/** A file's first bytes and its last, read in one open: what its type, header and ending need. */
export interface FileEnds {
  /** Up to 128 KiB: a JPEG's header with its EXIF blocks (up to 64 KiB each) fits. */
  head: Buffer;
  /** The last 16 bytes (or fewer, in a smaller file). */
  tail: Buffer;
}

const HEAD = 128 * 1024;
const TAIL = 16;

export async function readEnds(path: string): Promise<FileEnds> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = Buffer.allocUnsafe(Math.min(size, HEAD));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, TAIL));
    await file.read(tail, 0, tail.length, size - tail.length);
    return { head: head.subarray(0, bytesRead), tail };
  } finally {
    await file.close();
  }
}

/** The last bytes a whole file of the format has: a JPEG's end-of-image marker, a PNG's IEND chunk. */
const ENDINGS: Record<string, Buffer> = {
  jpg: Buffer.from([0xff, 0xd9]),
  png: Buffer.from([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
};

function endsAs(ends: FileEnds, ext: string): boolean {
  const ending = ENDINGS[ext];
  return ending !== undefined && ends.tail.length >= ending.length && ends.tail.subarray(ends.tail.length - ending.length).equals(ending);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
