/** Cuts and clicks read back out of a rendered MP4: the colour at the centre of each frame, the sound's onsets. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Canvas } from '../../src/media/canvas.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import type { Rgb } from './video-fixtures.js';

const run = promisify(execFile);

/** The mean colour of a small patch at the centre of every frame. */
export async function centreColours(video: string, canvas: Canvas): Promise<Rgb[]> {
  const size = 8;
  const { stdout } = await run(
    resolveFfmpeg().path,
    ['-v', 'error', '-i', video, '-vf', `crop=${size}:${size}:${(canvas.width - size) / 2}:${(canvas.height - size) / 2}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const bytes = size * size * 3;
  return Array.from({ length: stdout.length / bytes }, (_, f) => {
    const sum = [0, 0, 0];
    for (let p = 0; p < size * size; p++) for (let c = 0; c < 3; c++) sum[c]! += stdout[f * bytes + p * 3 + c] as number;
    return sum.map((s) => s / (size * size)) as unknown as Rgb;
  });
}

/**
 * Seconds of each change from slide i to slide i+1: how far each frame has gone from colour i
 * towards colour i+1; a hard cut at its first frame past halfway, a blend where it is half done.
 */
export function measuredCuts(frames: readonly Rgb[], colours: readonly Rgb[], fps: number): number[] {
  const cuts: number[] = [];
  let f = 0;
  for (let i = 0; i + 1 < colours.length; i++) {
    const from = colours[i] as Rgb;
    const to = colours[i + 1] as Rgb;
    const progress = (rgb: Rgb) => {
      const d = to.map((v, c) => v - (from[c] as number));
      const p = rgb.map((v, c) => v - (from[c] as number));
      return p.reduce((a, v, c) => a + v * (d[c] as number), 0) / d.reduce((a, v) => a + v * v, 0);
    };
    while (f < frames.length && progress(frames[f] as Rgb) < 0.5) f++;
    if (f >= frames.length) break;
    const before = progress(frames[f - 1] as Rgb);
    const after = progress(frames[f] as Rgb);
    cuts.push(after - before > 0.9 ? f / fps : (f - 1 + (0.5 - before) / (after - before)) / fps);
    // Past the blend before measuring the next one: a mix of two slides can look half like a third.
    while (f < frames.length && progress(frames[f] as Rgb) < 0.9) f++;
  }
  return cuts;
}

/** Seconds at which the MP4's sound jumps out of near silence. */
export async function audibleClicks(video: string): Promise<number[]> {
  const rate = 48_000;
  const { stdout } = await run(resolveFfmpeg().path, ['-v', 'error', '-i', video, '-map', '0:a', '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const clicks: number[] = [];
  let quiet = rate;
  for (let i = 0; i < stdout.length / 4; i++) {
    const loud = Math.abs(stdout.readFloatLE(i * 4)) > 0.2;
    if (loud && quiet >= rate / 10) clicks.push(i / rate);
    quiet = loud ? 0 : quiet + 1;
  }
  return clicks;
}
