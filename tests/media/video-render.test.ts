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
  audioSeconds,
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
const MEDIUM: Canvas = { width: 432, height: 768 };
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

  it('blends neighbouring slides in the middle of a crossfade', async () => {
    const [red, blue] = await Promise.all([
      solidImage(dir, `${name}-red.png`, RED, SMALL),
      solidImage(dir, `${name}-blue.png`, BLUE, SMALL),
    ]);
    const timeline = buildTimeline(
      [{ kind: 'image', path: red }, { kind: 'image', path: blue }],
      { canvas: SMALL, slideDuration: 1, transitionDuration: 0.4 },
    );
    const video = out('blend.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('blend.log') });

    const first = 30 - 12; // the blue slide starts 12 frames before the red one ends
    const at = async (n: number) => pixel(await frameAt(ffmpegPath, video, n, SMALL), SMALL, 108, 192);
    expect(near(await at(first - 1), RED, 12)).toBe(true);
    const middle = await at(first + 6);
    expect(near(middle, [130, 30, 130], 25)).toBe(true);
    expect(near(await at(first + 12), BLUE, 12)).toBe(true);
  });

  it('crops a landscape clip to cover the canvas, draws its caption, keeps its sound', async () => {
    const clip = await stripedClip(ffmpegPath, dir, { seconds: 2, tone: true });
    const { png } = await renderCaptionOverlay('HELLO', { canvas: MEDIUM, style: 'box', position: 'center' });
    const captionPng = join(dir, `${name}-caption.png`);
    await writeFile(captionPng, png);
    const slide = await solidImage(dir, `${name}-slide.png`, BLUE, MEDIUM);
    const timeline = buildTimeline(
      [
        { kind: 'video', path: clip, durationSeconds: 2, captionPng, hasAudio: true },
        { kind: 'image', path: slide },
      ],
      { canvas: MEDIUM, slideDuration: 1, maxClipDuration: 1.5, transition: 'none' },
    );
    const video = out('clip.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('clip.log') });

    expect(Math.abs((await streamsOf(video)).duration - 2.5)).toBeLessThanOrEqual(FRAME + 0.03);
    const frame = await frameAt(ffmpegPath, video, 15, MEDIUM);
    // Scaled up to the canvas height, only the green middle third fits: no red/blue, no bars.
    for (const x of [2, MEDIUM.width - 3]) expect(near(pixel(frame, MEDIUM, x, 20), [0, 255, 0], 40)).toBe(true);
    const spot = await opaqueWhiteSpot(png, MEDIUM);
    expect(near(pixel(frame, MEDIUM, spot.x, spot.y), [255, 255, 255], 40)).toBe(true);
    expect(await meanVolume(ffmpegPath, video, 0, 1.4)).toBeGreaterThan(-40);
    expect(await meanVolume(ffmpegPath, video, 1.6)).toBeLessThan(-80);
  });

  it('loops a short background audio over the whole video and fades it out', async () => {
    const music = await tone(ffmpegPath, dir, 0.7, `${name}-music.m4a`);
    const slides = await Promise.all([RED, BLUE].map((c, i) => solidImage(dir, `${name}-m${i}.png`, c, SMALL)));
    const timeline = buildTimeline(
      slides.map((path) => ({ kind: 'image' as const, path })),
      { canvas: SMALL, slideDuration: 1.5, audio: music },
    );
    const video = out('music.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('music.log') });

    expect(Math.abs((await audioSeconds(ffmpegPath, video)) - timelineDuration(timeline))).toBeLessThan(0.05);
    expect(await meanVolume(ffmpegPath, video, 1.2, 0.6)).toBeGreaterThan(-35);
    expect(await meanVolume(ffmpegPath, video, 2.4, 0.1)).toBeLessThan((await meanVolume(ffmpegPath, video, 1.2, 0.6)) - 10);
  });

  it('refuses a missing or corrupt audio file before starting ffmpeg', async () => {
    const slide = await solidImage(dir, `${name}-a.png`, RED, SMALL);
    const corrupt = join(dir, `${name}-corrupt.mp3`);
    await writeFile(corrupt, 'this is not audio'.repeat(100));
    for (const audio of [join(dir, 'missing.mp3'), corrupt]) {
      const timeline = buildTimeline([{ kind: 'image', path: slide }], { canvas: SMALL, audio });
      const log = out(`bad-audio-${audio.length}.log`);
      const error = await renderVideo(timeline, out('bad-audio.mp4'), { ffmpegPath, logFile: log }).catch((e) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(audio);
      expect(existsSync(log)).toBe(false);
    }
  });

  it('uses xfade for a named transition when ffmpeg has it, else a crossfade with one warning', async () => {
    const slides = await Promise.all([RED, BLUE, RED].map((c, i) => solidImage(dir, `${name}-w${i}.png`, c, SMALL)));
    const timeline = buildTimeline(
      slides.map((path) => ({ kind: 'image' as const, path })),
      { canvas: SMALL, slideDuration: 1, transition: 'wipeleft', transitionDuration: 0.4 },
    );
    const video = out('wipe.mp4');
    const { warnings } = await renderVideo(timeline, video, { ffmpegPath, logFile: out('wipe.log') });

    const log = await readFile(out('wipe.log'), 'utf8');
    if (name === 'system') {
      expect(warnings).toEqual([]);
      expect(log).toContain('-filter_complex_script');
      // Mid-wipe the frame is part red, part blue, not a blend.
      const frame = await frameAt(ffmpegPath, video, 18 + 6, SMALL);
      const colours = [5, 210].map((x) => pixel(frame, SMALL, x, 192));
      expect(colours.some((c) => near(c, RED, 20)) && colours.some((c) => near(c, BLUE, 20))).toBe(true);
    } else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('wipeleft');
    }
    const { duration } = await streamsOf(video);
    expect(Math.abs(duration - (3 - 2 * 0.4))).toBeLessThanOrEqual(FRAME + 0.03);
  });

  it('moves slides smoothly with Ken Burns', async () => {
    const image = join(dir, `${name}-gradient.png`);
    await sharp(Buffer.from(gradientSvg(SMALL))).png().toFile(image);
    const timeline = buildTimeline([{ kind: 'image', path: image }], { canvas: SMALL, slideDuration: 1, motion: 'kenburns' });
    const video = out('kenburns.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('kenburns.log') });

    // The first move zooms in on the centre; left of it sits a black → red ramp, which the zoom
    // pushes outwards: a point on the ramp turns redder, a little more each time, never back.
    const at = (n: number) => frameAt(ffmpegPath, video, n, SMALL).then((f) => pixel(f, SMALL, 50, 192)[0]);
    const reds = await Promise.all([0, 7, 14, 21, 29].map(at));
    const steps = reds.slice(1).map((r, i) => r - (reds[i] ?? 0));
    expect(steps.every((step) => step > 0)).toBe(true);
    expect((reds.at(-1) ?? 0) - (reds[0] ?? 0)).toBeGreaterThan(40);
  });

  it('keeps an image\'s caption still over its Ken Burns motion', async () => {
    const photo = join(dir, `${name}-stripes.png`);
    await sharp(Buffer.from(stripesSvg(MEDIUM))).png().toFile(photo);
    const overlays = await Promise.all(
      ['STAY STILL', 'ME TOO'].map((text) => renderCaptionOverlay(text, { canvas: MEDIUM, style: 'box', position: 'center' })),
    );
    const captionPngs = await Promise.all(
      overlays.map(async ({ png }, i) => {
        const path = join(dir, `${name}-still-caption-${i}.png`);
        await writeFile(path, png);
        return path;
      }),
    );
    const timeline = buildTimeline(
      captionPngs.map((captionPng) => ({ kind: 'image' as const, path: photo, captionPng })),
      { canvas: MEDIUM, slideDuration: 1.5, transitionDuration: 0.3, motion: 'kenburns' },
    );
    const video = out('still-caption.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('still-caption.log') });

    // Frames 3 and 33 are a second apart, both in the first slide before its fade-out starts (frame 36).
    const [early, late] = (await Promise.all([3, 33].map((n) => frameAt(ffmpegPath, video, n, MEDIUM)))) as [Buffer, Buffer];
    const caption = await captionPixels((overlays[0] as { png: Buffer }).png, MEDIUM);
    expect(caption.opaque.length).toBeGreaterThan(1000);
    expect(meanDifference(early, late, caption.opaque)).toBeLessThan(2);
    expect(meanDifference(early, late, caption.clear)).toBeGreaterThan(20);
    const drawn = caption.opaque.filter((p) => near(pixel(early, MEDIUM, p.x, p.y), p.rgb, 40));
    expect(drawn.length / caption.opaque.length).toBeGreaterThan(0.97);
  });

  it('draws a long video in parts, frame-exact across each join, the picture blended and the sound whole', async () => {
    const colours = [RED, BLUE, RED, BLUE, RED];
    const slides = await Promise.all(colours.map((c, i) => solidImage(dir, `${name}-part${i}.png`, c, SMALL)));
    const music = await tone(ffmpegPath, dir, 0.7, `${name}-part-music.m4a`);
    const timeline = buildTimeline(
      slides.map((path) => ({ kind: 'image' as const, path })),
      { canvas: SMALL, slideDuration: 1, transitionDuration: 0.4, audio: music },
    );
    const video = out('parts.mp4');
    const fractions: number[] = [];
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('parts.log'), itemsPerPart: 2, onProgress: (f) => fractions.push(f) });

    const { streams } = await streamsOf(video);
    expect(Number(streams.find((s) => s.codec_type === 'video')?.nb_frames)).toBe(Math.round(timelineDuration(timeline) * 30));
    expect(Math.abs((await audioSeconds(ffmpegPath, video)) - timelineDuration(timeline))).toBeLessThan(0.05);
    // Each slide starts 18 frames after the one before; parts join where slides 3 and 5 are fully in.
    const at = async (n: number) => pixel(await frameAt(ffmpegPath, video, n, SMALL), SMALL, 108, 192);
    for (const start of [18, 36, 54, 72]) {
      const [before, after] = start % 36 === 0 ? [BLUE, RED] : [RED, BLUE];
      expect(near(await at(start - 1), before, 12)).toBe(true);
      expect(near(await at(start + 6), [130, 30, 130], 25)).toBe(true);
      expect(near(await at(start + 12), after, 12)).toBe(true);
    }
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect((await readFile(out('parts.log'), 'utf8')).match(/^\S*ffmpeg\S* /gm)).toHaveLength(4);
  });

  it('draws each clip much larger than the canvas in a part of its own, by one decoding thread, the sound whole', async () => {
    const big = await stripedClip(ffmpegPath, dir, { seconds: 1, tone: true, width: 960, height: 540 });
    const still = await solidImage(dir, `${name}-after-clips.png`, BLUE, SMALL);
    const timeline = buildTimeline(
      [
        ...Array.from({ length: 3 }, () => ({ kind: 'video' as const, path: big, durationSeconds: 1, hasAudio: true, width: 960, height: 540 })),
        { kind: 'image' as const, path: still },
        { kind: 'image' as const, path: still },
      ],
      { canvas: SMALL, slideDuration: 1, transitionDuration: 0.2 },
    );
    const video = out('big-clips.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('big-clips.log') });

    const { streams } = await streamsOf(video);
    expect(Number(streams.find((s) => s.codec_type === 'video')?.nb_frames)).toBe(Math.round(timelineDuration(timeline) * 30));
    expect(Math.abs((await audioSeconds(ffmpegPath, video)) - timelineDuration(timeline))).toBeLessThan(0.05);
    const commands = (await readFile(out('big-clips.log'), 'utf8')).split('\n').filter((line) => /^\S*ffmpeg\S* /.test(line));
    // One part per clip (each drawing the next item for its fade), one for the two stills, the join.
    expect(commands).toHaveLength(5);
    for (const command of commands.slice(0, 4)) {
      const clipInputs = command.split(' -i ').length - 1 - (command.match(/-framerate 30 -i /g) ?? []).length;
      expect(command.match(/-threads 1 -t 1 -i /g) ?? []).toHaveLength(clipInputs);
    }
  });

  it('renders 50 items through a filter script', async () => {
    const tiny: Canvas = { width: 64, height: 112 };
    const slides = await Promise.all(
      Array.from({ length: 50 }, (_, i) => solidImage(dir, `${name}-n${i}.png`, i % 2 ? RED : BLUE, tiny)),
    );
    const timeline = buildTimeline(
      slides.map((path) => ({ kind: 'image' as const, path })),
      { canvas: tiny, slideDuration: 0.3, transitionDuration: 0.1 },
    );
    const video = out('fifty.mp4');
    await renderVideo(timeline, video, { ffmpegPath, logFile: out('fifty.log') });
    const { streams } = await streamsOf(video);
    const v = streams.find((s) => s.codec_type === 'video');
    expect(Number(v?.nb_frames)).toBe(Math.round(timelineDuration(timeline) * 30));
  });

  it('fails with the end of ffmpeg\'s log when an input is not an image, and leaves no output', async () => {
    const broken = join(dir, `${name}-broken.png`);
    await writeFile(broken, 'not a png');
    const timeline = buildTimeline([{ kind: 'image', path: broken }], { canvas: SMALL });
    const video = out('broken.mp4');
    const error = await renderVideo(timeline, video, { ffmpegPath, logFile: out('broken.log') }).catch((e) => e);
    expect(error).toBeInstanceOf(FfmpegFailed);
    expect((error as FfmpegFailed).logTail).not.toBe('');
    expect((error as Error).message).toContain((error as FfmpegFailed).logTail);
    expect(await readFile(out('broken.log'), 'utf8')).toContain((error as FfmpegFailed).logTail.split('\n')[0]);
    expect(existsSync(video)).toBe(false);
  });

  it('stops ffmpeg and removes the partial file when aborted', async () => {
    const slide = await solidImage(dir, `${name}-long.png`, RED, SMALL);
    const timeline = buildTimeline([{ kind: 'image', path: slide }], { canvas: SMALL, slideDuration: 600 });
    const controller = new AbortController();
    const video = out('aborted.mp4');
    const error = await renderVideo(timeline, video, {
      ffmpegPath,
      logFile: out('aborted.log'),
      signal: controller.signal,
      onProgress: (f) => f > 0 && controller.abort(),
    }).catch((e) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(existsSync(video)).toBe(false);
  });
});

/** Where the caption PNG is opaque white: the caption must show there in the video. */
async function opaqueWhiteSpot(png: Buffer, canvas: Canvas): Promise<{ x: number; y: number }> {
  const { data } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let y = 1; y < canvas.height - 1; y++) {
    for (let x = 1; x < canvas.width - 1; x++) {
      const solid = [-1, 0, 1].every((dy) =>
        [-1, 0, 1].every((dx) => {
          const i = ((y + dy) * canvas.width + x + dx) * 4;
          return (data[i] ?? 0) > 245 && (data[i + 1] ?? 0) > 245 && (data[i + 2] ?? 0) > 245 && data[i + 3] === 255;
        }),
      );
      if (solid) return { x, y };
    }
  }
  throw new Error('the caption has no opaque white area');
}

interface CaptionPixel {
  x: number;
  y: number;
  rgb: Rgb;
}

/**
 * Pixels of a caption PNG two or more pixels inside its opaque parts, and as far inside its clear
 * parts: the margin keeps out the edges, where 4:2:0 chroma mixes the caption with the photo.
 */
async function captionPixels(png: Buffer, canvas: Canvas): Promise<{ opaque: CaptionPixel[]; clear: CaptionPixel[] }> {
  const { data } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const alpha = (x: number, y: number) => data[(y * canvas.width + x) * 4 + 3] ?? 0;
  const margin = 2;
  const opaque: CaptionPixel[] = [];
  const clear: CaptionPixel[] = [];
  for (let y = margin; y < canvas.height - margin; y++) {
    for (let x = margin; x < canvas.width - margin; x++) {
      const around: number[] = [];
      for (let dy = -margin; dy <= margin; dy++) for (let dx = -margin; dx <= margin; dx++) around.push(alpha(x + dx, y + dy));
      const i = (y * canvas.width + x) * 4;
      const p = { x, y, rgb: [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0] as const };
      if (around.every((a) => a === 255)) opaque.push(p);
      else if (around.every((a) => a === 0)) clear.push(p);
    }
  }
  return { opaque, clear };
}

/** Mean absolute difference per channel between two MEDIUM frames over `where`. */
function meanDifference(a: Buffer, b: Buffer, where: readonly CaptionPixel[]): number {
  let sum = 0;
  for (const p of where) {
    const [pa, pb] = [pixel(a, MEDIUM, p.x, p.y), pixel(b, MEDIUM, p.x, p.y)];
    sum += pa.reduce((s, v, c) => s + Math.abs(v - (pb[c] ?? 0)), 0) / 3;
  }
  return sum / where.length;
}

/** Diagonal bands of mid-tone colours: every move shows, and nothing is white or black like a caption. */
function stripesSvg(canvas: Canvas): string {
  const colours = ['#c0392b', '#2e86c1', '#27ae60', '#d68910', '#8e44ad'];
  const bands = Array.from({ length: 40 }, (_, i) =>
    `<polygon points="${i * 40 - 800},0 ${i * 40 - 780},0 ${i * 40 - 780 + canvas.height},${canvas.height} ${i * 40 - 800 + canvas.height},${canvas.height}" fill="${colours[i % colours.length]}"/>`,
  ).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}">
  <rect width="100%" height="100%" fill="#7f8c8d"/>${bands}</svg>`;
}

/** Black left of x=40, red right of x=70, a ramp between. */
function gradientSvg(canvas: Canvas): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}">
  <defs><linearGradient id="g" gradientUnits="userSpaceOnUse" x1="40" x2="70" y1="0" y2="0">
  <stop offset="0" stop-color="#000000"/><stop offset="1" stop-color="#ff0000"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/></svg>`;
}
