import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Canvas } from '../../src/media/canvas.js';
import { renderCaptionOverlay } from '../../src/media/caption/overlay.js';
import { renderVideo } from '../../src/media/ffmpeg/render.js';
import { FfmpegFailed } from '../../src/media/ffmpeg/run.js';
import { buildTimeline, timelineDuration } from '../../src/media/timeline.js';
import {
  ffmpegBinaries,
  frameAt,
  meanVolume,
  near,
  pixel,
  solidImage,
  streamsOf,
  stripedClip,
  tone,
  type Rgb,
} from './video-fixtures.js';

const SMALL: Canvas = { width: 216, height: 384 };
const FULL: Canvas = { width: 1080, height: 1920 };
const RED: Rgb = [230, 30, 30];
const BLUE: Rgb = [30, 30, 230];
const FRAME = 1 / 30;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-video-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(ffmpegBinaries())('renderVideo with the $name ffmpeg', ({ name, path: ffmpegPath }) => {
  const out = (file: string) => join(dir, `${name}-${file}`);

  it('renders slides as H.264 yuv420p 30 fps 1080x1920 with AAC, Σ durations − Σ transitions long', async () => {
    const slides = await Promise.all(
      [RED, BLUE, RED].map((c, i) => solidImage(dir, `${name}-full-${i}.jpg`, c, FULL)),
    );
    const timeline = buildTimeline(
      slides.map((path) => ({ kind: 'image' as const, path })),
      { canvas: FULL, slideDuration: 1.2, transitionDuration: 0.4 },
    );
    const fractions: number[] = [];
    const video = out('format.mp4');
    const result = await renderVideo(timeline, video, {
      ffmpegPath,
      logFile: out('format.log'),
      onProgress: (f) => fractions.push(f),
    });

    const expected = 3 * 1.2 - 2 * 0.4;
    expect(result.durationSeconds).toBeCloseTo(expected, 6);
    expect(result.warnings).toEqual([]);
    const { streams, duration } = await streamsOf(video);
    const v = streams.find((s) => s.codec_type === 'video');
    expect(v).toMatchObject({ codec_name: 'h264', width: 1080, height: 1920, pix_fmt: 'yuv420p', r_frame_rate: '30/1' });
    expect(Math.abs(Number(v?.nb_frames) - expected * 30)).toBeLessThanOrEqual(1);
    expect(Math.abs(duration - expected)).toBeLessThanOrEqual(FRAME + 0.03);
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });
});
