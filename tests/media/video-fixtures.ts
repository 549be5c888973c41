/** Real media for the video tests: images from sharp, clips and tones from ffmpeg's lavfi, frames back out. */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Canvas } from '../../src/media/canvas.js';
import { resolveFfmpeg, resolveFfprobe } from '../../src/media/ffmpeg/binaries.js';
import { skipWithout } from '../helpers/tools.js';

const run = promisify(execFile);

export type Rgb = readonly [number, number, number];

/** The npm-shipped ffmpeg (no xfade) always; the system one too when there is one on PATH (on CI there must be). */
export function ffmpegBinaries(): { name: string; path: string }[] {
  const shipped = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const system = resolveFfmpeg({ PATH: process.env.PATH });
  return skipWithout("Debian's ffmpeg 5 (on PATH)", system.source === 'path', 'apt-get install -y ffmpeg')
    ? [{ name: 'shipped', path: shipped }]
    : [{ name: 'shipped', path: shipped }, { name: 'system', path: system.path }];
}

export const ffprobePath = (): string => resolveFfprobe().path;

export async function solidImage(dir: string, name: string, color: Rgb, canvas: Canvas): Promise<string> {
  const path = join(dir, name);
  await sharp({ create: { ...canvas, channels: 3, background: { r: color[0], g: color[1], b: color[2] } } }).toFile(path);
  return path;
}

/** A landscape clip of red | green | blue vertical thirds, with a 440 Hz tone when `tone`. */
export async function stripedClip(
  ffmpeg: string,
  dir: string,
  o: { seconds: number; tone: boolean; width?: number; height?: number },
): Promise<string> {
  const width = o.width ?? 480;
  const height = o.height ?? 240;
  const third = Math.round(width / 3);
  const stripes = join(dir, 'stripes.png');
  const band = (c: Rgb, left: number) => ({
    input: { create: { width: third, height, channels: 3 as const, background: { r: c[0], g: c[1], b: c[2] } } },
    left,
    top: 0,
  });
  await sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite([band([255, 0, 0], 0), band([0, 255, 0], third), band([0, 0, 255], width - third)])
    .toFile(stripes);
  const path = join(dir, o.tone ? 'clip-tone.mp4' : 'clip-silent.mp4');
  const audio = o.tone ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${o.seconds}`] : [];
  await run(ffmpeg, [
    '-v', 'error', '-y', '-loop', '1', '-framerate', '25', '-i', stripes, ...audio,
    '-t', String(o.seconds), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', ...(o.tone ? ['-c:a', 'aac'] : []), path,
  ]);
  return path;
}

export async function tone(ffmpeg: string, dir: string, seconds: number, name = 'tone.m4a'): Promise<string> {
  const path = join(dir, name);
  await run(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}`, '-c:a', 'aac', path]);
  return path;
}

export interface StreamFacts {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
}

export async function streamsOf(path: string): Promise<{ streams: StreamFacts[]; duration: number }> {
  const { stdout } = await run(ffprobePath(), ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path]);
  const parsed = JSON.parse(stdout) as { streams: StreamFacts[]; format: { duration: string } };
  return { streams: parsed.streams, duration: Number(parsed.format.duration) };
}

/** Frame `index` (0-based) as packed RGB. */
export async function frameAt(ffmpeg: string, video: string, index: number, canvas: Canvas): Promise<Buffer> {
  const { stdout } = await run(
    ffmpeg,
    ['-v', 'error', '-i', video, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  if (stdout.length !== canvas.width * canvas.height * 3) throw new Error(`frame ${index} of ${video} not found`);
  return stdout;
}

export function pixel(frame: Buffer, canvas: Canvas, x: number, y: number): Rgb {
  const i = (y * canvas.width + x) * 3;
  return [frame[i] ?? -1, frame[i + 1] ?? -1, frame[i + 2] ?? -1];
}

export function near(actual: Rgb, expected: Rgb, tolerance: number): boolean {
  return actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance);
}

/** Length of the decoded sound (the container's figure includes the encoder's padding). */
export async function audioSeconds(ffmpeg: string, video: string): Promise<number> {
  const { stdout } = await run(ffmpeg, ['-v', 'error', '-i', video, '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', '48000', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.length / 2 / 48_000;
}

/** Mean volume in dB over [from, from + seconds) of the first audio stream (−91 is silence). */
export async function meanVolume(ffmpeg: string, video: string, from = 0, seconds = 60): Promise<number> {
  const { stderr } = await run(ffmpeg, [
    '-hide_banner', '-ss', String(from), '-t', String(seconds), '-i', video, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-',
  ]);
  const match = /mean_volume: (-?[\d.]+) dB/.exec(stderr);
  if (match === null) throw new Error(`no volume measured in ${video}`);
  return Number(match[1]);
}
