import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { PRESETS } from '../../src/media/canvas.js';
import { buildTimeline, kenBurnsFor, timelineDuration, type TimelineInput } from '../../src/media/timeline.js';

const canvas = PRESETS['9:16'];
const image = (path: string): TimelineInput => ({ kind: 'image', path });
const clip = (path: string, durationSeconds: number, extra: Partial<TimelineInput> = {}): TimelineInput =>
  ({ kind: 'video', path, durationSeconds, ...extra }) as TimelineInput;

describe('buildTimeline', () => {
  it('holds images 3 s with 0.5 s crossfades by default; each item starts as the previous one fades', () => {
    const t = buildTimeline([image('a'), image('b'), image('c')], { canvas });
    expect(t.fps).toBe(30);
    expect(t.items.map((i) => [i.start, i.duration])).toEqual([[0, 3], [2.5, 3], [5, 3]]);
    expect(t.transitions).toEqual([{ kind: 'fade', duration: 0.5 }, { kind: 'fade', duration: 0.5 }]);
    expect(timelineDuration(t)).toBe(8);
    expect(t.audio).toBeUndefined();
  });

  it.each([
    { n: 1, slide: 2, transition: 0.5, expected: 2 },
    { n: 4, slide: 1, transition: 0.3, expected: 4 - 3 * 0.3 },
    { n: 10, slide: 3, transition: 0.5, expected: 30 - 9 * 0.5 },
    { n: 3, slide: 2, transition: 0, expected: 6 },
  ])('$n slides of $slide s with $transition s transitions last Σd − Σt = $expected s', ({ n, slide, transition, expected }) => {
    const t = buildTimeline(Array.from({ length: n }, (_, i) => image(`s${i}`)), {
      canvas,
      slideDuration: slide,
      transitionDuration: transition,
    });
    const sum = t.items.reduce((a, i) => a + i.duration, 0) - t.transitions.reduce((a, x) => a + x.duration, 0);
    expect(timelineDuration(t)).toBeCloseTo(expected, 9);
    expect(sum).toBeCloseTo(expected, 9);
  });

  it('rounds every duration to whole frames', () => {
    const t = buildTimeline([image('a'), clip('b', 2.01)], { canvas, slideDuration: 1.01, transitionDuration: 0.51 });
    for (const x of [...t.items.map((i) => i.duration), ...t.transitions.map((i) => i.duration)]) {
      expect(Math.abs(x * 30 - Math.round(x * 30))).toBeLessThan(1e-9);
    }
    expect(t.items.map((i) => i.duration)).toEqual([1, 2]);
  });

  it('shortens a transition so each item keeps a frame of its own', () => {
    const t = buildTimeline([image('a'), image('b'), image('c')], { canvas, slideDuration: 0.2, transitionDuration: 0.5 });
    // 6 frames each: at most (6 − 1) / 2 = 2 frames per transition.
    expect(t.transitions.map((x) => Math.round(x.duration * 30))).toEqual([2, 2]);
  });

  it('`none` makes cuts: items follow each other', () => {
    const t = buildTimeline([image('a'), image('b')], { canvas, transition: 'none', slideDuration: 1 });
    expect(t.transitions).toEqual([{ kind: 'none', duration: 0 }]);
    expect(t.items[1]?.start).toBe(1);
  });

  it('trims clips to --max-clip-duration and keeps their caption', () => {
    const t = buildTimeline([clip('long.mp4', 42, { captionPng: 'cap.png', hasAudio: true }), clip('short.mp4', 4)], {
      canvas,
      maxClipDuration: 10,
    });
    expect(t.items[0]).toMatchObject({ kind: 'video', duration: 10, captionPng: 'cap.png', audio: true });
    expect(t.items[1]).toMatchObject({ kind: 'video', duration: 4, audio: false });
    expect(t.items[1]).not.toHaveProperty('captionPng');
  });

  it('keeps clip sound only when asked and the clip has some', () => {
    const inputs = [clip('a.mp4', 2, { hasAudio: true }), clip('b.mp4', 2, { hasAudio: false }), clip('c.mp4', 2)];
    const keep = buildTimeline(inputs, { canvas, clipAudio: 'keep' }).items;
    const mute = buildTimeline(inputs, { canvas, clipAudio: 'mute' }).items;
    expect(keep.map((i) => i.kind === 'video' && i.audio)).toEqual([true, false, false]);
    expect(mute.map((i) => i.kind === 'video' && i.audio)).toEqual([false, false, false]);
  });

  it('gives images a Ken Burns move only with motion kenburns, and never the same move twice in a row', () => {
    const inputs = Array.from({ length: 8 }, (_, i) => image(`s${i}`));
    expect(buildTimeline(inputs, { canvas }).items.some((i) => i.kind === 'image' && i.kenBurns)).toBe(false);
    const moves = buildTimeline(inputs, { canvas, motion: 'kenburns' }).items.map((i) => (i.kind === 'image' ? i.kenBurns : undefined));
    moves.forEach((m, i) => {
      expect(m).toBeDefined();
      if (i > 0) expect(m).not.toEqual(moves[i - 1]);
    });
    for (let i = 0; i < 12; i++) {
      const { zoom, focusX, focusY } = kenBurnsFor(i);
      expect(Math.max(...zoom)).toBeGreaterThan(1);
      expect(Math.min(...zoom)).toBeGreaterThanOrEqual(1);
      for (const f of [...focusX, ...focusY]) expect(f >= 0 && f <= 1).toBe(true);
    }
  });

  it('keeps an image\'s caption overlay, with or without motion, and adds none where there is none', () => {
    const inputs: TimelineInput[] = [{ kind: 'image', path: 'a.jpg', captionPng: 'a.png' }, image('b.jpg')];
    for (const motion of ['none', 'kenburns'] as const) {
      const [captioned, plain] = buildTimeline(inputs, { canvas, motion }).items;
      expect(captioned).toMatchObject({ kind: 'image', path: 'a.jpg', captionPng: 'a.png' });
      expect(plain).not.toHaveProperty('captionPng');
    }
  });

  it('holds each item its own duration when given, clips included (beat-cut videos)', () => {
    const t = buildTimeline([{ kind: 'image', path: 'a', duration: 2.2 }, image('b'), clip('c', 8, { duration: 1.5 })], {
      canvas,
      transitionDuration: 0.2,
    });
    expect(t.items.map((i) => [i.start, i.duration])).toEqual([[0, 2.2], [2, 3], [4.8, 1.5]]);
  });

  it('starts the background audio at its offset', () => {
    expect(buildTimeline([image('a')], { canvas, audio: 'song.mp3', audioStart: 12.5 }).audio).toEqual({
      path: 'song.mp3',
      fadeOutSeconds: 1,
      startSeconds: 12.5,
    });
  });

  it('carries the background audio with a 1 s fade-out', () => {
    const t = buildTimeline([image('a')], { canvas, audio: 'song.mp3' });
    expect(t.audio).toEqual({ path: 'song.mp3', fadeOutSeconds: 1, startSeconds: 0 });
  });

  it.each([
    { what: 'no items', inputs: [], options: {}, message: /nothing to render/ },
    { what: 'a zero slide duration', inputs: [image('a')], options: { slideDuration: 0 }, message: /^slideDuration 0: must be more than 0/ },
    { what: 'a negative transition', inputs: [image('a')], options: { transitionDuration: -1 }, message: /^transitionDuration -1:/ },
    { what: 'an unknown transition', inputs: [image('a')], options: { transition: 'spin' }, message: /^transition spin: is not a transition/ },
    { what: 'a clip without duration', inputs: [clip('x.mp4', 0)], options: {}, message: /x\.mp4/ },
    { what: 'a zero item duration', inputs: [{ kind: 'image', path: 'y.jpg', duration: 0 }], options: {}, message: /y\.jpg: duration/ },
    { what: 'an odd canvas', inputs: [image('a')], options: { canvas: { width: 1081, height: 1920 } }, message: /even/ },
  ])('refuses $what with a UsageError', ({ inputs, options, message }) => {
    const run = () => buildTimeline(inputs as TimelineInput[], { canvas, ...options } as never);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});
