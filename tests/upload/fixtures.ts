/** Real media for the upload tests: photos from sharp, clips from ffmpeg's lavfi testsrc. */
import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Backend, ObjectStore } from '../../src/db/backend.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import { uploadEach } from '../../src/db/uploadEach.js';

const run = promisify(execFile);

/** A small JPEG whose pixels depend on `seed`, so every seed is different content. */
export async function photo(dir: string, name: string, seed: number, o: { width?: number; height?: number; orientation?: number; format?: 'jpeg' | 'png' } = {}): Promise<string> {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  const width = o.width ?? 64;
  const height = o.height ?? 48;
  const image = sharp({
    create: { width, height, channels: 3, background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: (seed * 13) % 256 } },
  }).composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${seed % width}" cy="${height / 2}" r="8" fill="#fff"/></svg>`) }]);
  const encoded = o.format === 'png' ? image.png() : image.jpeg({ quality: 80 });
  await (o.orientation ? encoded.withMetadata({ orientation: o.orientation }) : encoded).toFile(path);
  return path;
}

/** A 320×240 testsrc clip of `seconds`, H.264 in MP4 (moov at the end, as ffmpeg writes by default). */
export async function clip(dir: string, name: string, seconds = 1): Promise<string> {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  await run(resolveFfmpeg().path, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=25:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path,
  ]);
  return path;
}

/** A second of 440 Hz as MP3: a real media file of a kind we do not take. */
export async function mp3(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await run(resolveFfmpeg().path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', path]);
  return path;
}

export interface StoreCalls {
  uploads: number;
  bytes: number;
  inFlight: number;
  maxInFlight: number;
}

/**
 * The backend with its store wrapped: counts upload calls and bytes, and can fail on purpose:
 * `failAfter` refuses every upload after k; `crashAfterWrite` stores the object then throws, as a
 * process killed between the object and its row would leave it.
 */
export function wrapStore(
  backend: Backend,
  o: { failAfter?: number; crashAfterWrite?: (key: string) => boolean } = {},
): { backend: Backend; calls: StoreCalls } {
  const calls: StoreCalls = { uploads: 0, bytes: 0, inFlight: 0, maxInFlight: 0 };
  const inner = backend.storage;
  const storage: ObjectStore = {
    ...inner,
    // One counted (and faultable) upload each, as Supabase's store does it.
    uploadMany: (bucket, uploads, options) => uploadEach(storage.upload, bucket, uploads, options),
    async upload(bucket, key, body, options) {
      calls.uploads += 1;
      if (o.failAfter !== undefined && calls.uploads > o.failAfter) throw new Error('network down (injected)');
      calls.inFlight += 1;
      calls.maxInFlight = Math.max(calls.maxInFlight, calls.inFlight);
      try {
        // Before: the embedded store moves a body that ingest staged.
        const bytes = 'path' in body ? statSync(body.path).size : body.data.byteLength;
        await inner.upload(bucket, key, body, options);
        calls.bytes += bytes;
      } finally {
        calls.inFlight -= 1;
      }
      if (o.crashAfterWrite?.(key)) throw new Error('killed between object and row (injected)');
    },
  };
  return { backend: { ...backend, storage }, calls };
}
