/**
 * Cuts on the beat, measured on the MP4 itself: slides of distinct solid colours are cut to a
 * synthetic song, and every change of colour in the rendered frames must fall within one frame
 * (1/30 s) of a real beat of the song — hard cuts at their first new frame, crossfades at the
 * frame where the blend is half done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Canvas } from '../../src/media/canvas.js';
import { DEFAULT_HOLD_RANGE, planCuts } from '../../src/media/beats/cuts.js';
import { holdsFor } from '../../src/media/beats/holds.js';
import { ANALYSIS_SAMPLE_RATE, decodeMono } from '../../src/media/beats/decode.js';
import { analyseSong } from '../../src/media/beats/song.js';
import { renderVideo } from '../../src/media/ffmpeg/render.js';
import { buildTimeline, type TransitionName } from '../../src/media/timeline.js';
import { clickTrack, kickAndHat, offBeat, speechLike, tempoChange, writeWav, type Track } from './beats-fixtures.js';
import { audibleClicks, centreColours, measuredCuts } from './beats-measure.js';
import { solidImage, type Rgb } from './video-fixtures.js';

const CANVAS: Canvas = { width: 72, height: 128 };
const FPS = 30;
const FRAME = 1 / FPS;
const COLOURS: Rgb[] = [
  [230, 30, 30], [30, 200, 30], [30, 30, 230], [230, 230, 30], [230, 30, 230], [30, 230, 230],
  [250, 250, 250], [20, 20, 20], [250, 140, 0], [120, 0, 200], [0, 120, 90], [160, 160, 160],
];

let dir: string;
let slides: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-beats-'));
  slides = await Promise.all(COLOURS.map((c, i) => solidImage(dir, `slide-${i}.png`, c, CANVAS)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES: { name: string; track: () => Track; bpm: number; items: number; transition: TransitionName; offset?: number }[] = [
  { name: '90 BPM clicks, hard cuts', track: () => clickTrack(90, 16), bpm: 90, items: 5, transition: 'none' },
  { name: '120 BPM clicks, crossfades', track: () => clickTrack(120, 16), bpm: 120, items: 6, transition: 'fade' },
  { name: '128 BPM clicks from 1.1 s in, crossfades', track: () => clickTrack(128, 18), bpm: 128, items: 7, transition: 'fade', offset: 1.1 },
  { name: '110 BPM kick and hat under noise, crossfades', track: () => kickAndHat(110, 16, 0.12), bpm: 110, items: 6, transition: 'fade' },
  {
    name: 'clicks from 100 to 130 BPM, hard cuts',
    track: () => tempoChange([{ bpm: 100, until: 12 }, { bpm: 130, until: 24 }], 24),
    bpm: 100,
    items: 10,
    transition: 'none',
  },
];

describe('a video cut to the beat', () => {
  it.each(CASES)('$name: every cut in the MP4 within a frame of a beat', async ({ name, track, bpm, items, transition, offset = 0 }) => {
    const song = track();
    const file = await writeWav(join(dir, `${name}.wav`), song.samples);
    const heard = song.beats.map((b) => b - offset).filter((b) => b >= 0);

    const analysis = await analyseSong(file, { startSeconds: offset });
    expect(Math.abs((analysis.tempo as number) / bpm - 1)).toBeLessThan(0.02);
    const plan = planCuts(analysis, { items, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(plan.onBeat).toBe(true);
    expect(plan.warnings).toEqual([]);
    const { durations, transitionDuration } = holdsFor(plan, { kind: transition, seconds: 0.5 }, FPS);
    const timeline = buildTimeline(
      durations.map((duration, i) => ({ kind: 'image' as const, path: slides[i] as string, duration })),
      { canvas: CANVAS, transition, transitionDuration, audio: file, audioStart: offset },
    );
    const video = join(dir, `${name}.mp4`);
    await renderVideo(timeline, video, { logFile: join(dir, `${name}.log`) });

    const colours = await centreColours(video, CANVAS);
    const cuts = measuredCuts(colours, COLOURS.slice(0, items), FPS);
    expect(cuts).toHaveLength(items - 1);
    for (const cut of cuts) expect(offBeat(cut, heard)).toBeLessThanOrEqual(FRAME);
    // The video stops on a beat (a downbeat where one is in range).
    expect(plan.ending).toMatch(/^(downbeat|beat)$/);
    expect(offBeat(colours.length / FPS, heard)).toBeLessThanOrEqual(FRAME);
    if (offset > 0) {
      // The sound in the MP4 starts at the offset: its clicks are where the cuts are.
      const clicks = await audibleClicks(video);
      for (const cut of cuts) expect(offBeat(cut, clicks)).toBeLessThanOrEqual(FRAME);
    }
  });

  it('a song without a beat falls back to even holds, with its line', async () => {
    const file = await writeWav(join(dir, 'speech.wav'), speechLike(12));
    const analysis = await analyseSong(file);
    const plan = planCuts(analysis, { items: 3, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(plan.warnings).toEqual(['no clear beat in the song (speech or ambient sound?): even 3 s holds']);
    const { durations, transitionDuration } = holdsFor(plan, { kind: 'none', seconds: 0.5 }, FPS);
    const timeline = buildTimeline(
      durations.map((duration, i) => ({ kind: 'image' as const, path: slides[i] as string, duration })),
      { canvas: CANVAS, transition: 'none', transitionDuration, audio: file },
    );
    const video = join(dir, 'speech.mp4');
    await renderVideo(timeline, video, { logFile: join(dir, 'speech.log') });
    const colours = await centreColours(video, CANVAS);
    expect(measuredCuts(colours, COLOURS.slice(0, 3), FPS)).toEqual([3, 6]);
    expect(colours.length).toBe(9 * FPS);
  });
});

describe('decoding a song for its beats', () => {
  it('reads only the window asked for: seeks to its start and stops after its length', async () => {
    const song = clickTrack(120, 12);
    const file = await writeWav(join(dir, 'window.wav'), song.samples);
    const samples = await decodeMono(file, { startSeconds: 2, maxSeconds: 3 });
    expect(Math.abs(samples.length - 3 * ANALYSIS_SAMPLE_RATE)).toBeLessThanOrEqual(1);
    const first = samples.findIndex((v) => Math.abs(v) > 0.2) / ANALYSIS_SAMPLE_RATE;
    const expected = (song.beats.find((b) => b >= 2) as number) - 2;
    expect(Math.abs(first - expected)).toBeLessThan(0.002);
  });
});
