import { describe, expect, it } from 'vitest';
import { framesOf } from '../../src/media/ffmpeg/items.js';
import { clipCost, splitTimeline } from '../../src/media/ffmpeg/parts.js';
import { buildTimeline, timelineDuration, type TimelineInput } from '../../src/media/timeline.js';

const canvas = { width: 64, height: 112 };
const images = (n: number): TimelineInput[] => Array.from({ length: n }, (_, i) => ({ kind: 'image', path: `s${i}.jpg` }));

describe('splitTimeline', () => {
  it('keeps every frame of the video exactly once, each part owning its items and the transition out of the last', () => {
    for (const options of [{}, { slideDuration: 1, transitionDuration: 0.4 }, { transition: 'none' as const }, { slideDuration: 0.2 }]) {
      for (const [n, per] of [[1, 6], [6, 6], [7, 6], [20, 6], [5, 2], [9, 1]] as const) {
        const timeline = buildTimeline(images(n), { canvas, ...options });
        const parts = splitTimeline(timeline, per);
        expect(parts).toHaveLength(Math.ceil(n / per));
        const kept = parts.reduce((sum, p) => sum + p.to - p.from, 0);
        expect(kept).toBe(framesOf(timelineDuration(timeline), 30));
        parts.forEach((part, k) => {
          const first = k * per;
          expect(part.timeline.items[0]).toMatchObject({ path: `s${first}.jpg`, start: 0 });
          expect(part.from).toBe(k === 0 ? 0 : framesOf(timeline.transitions[first - 1]?.duration ?? 0, 30));
          expect(part.to).toBeLessThanOrEqual(framesOf(timelineDuration(part.timeline), 30));
          expect(part.timeline.transitions).toHaveLength(part.timeline.items.length - 1);
          expect(part.timeline.audio).toBeUndefined();
        });
      }
    }
  });

  it('draws the next item only for a transition into it, and keeps each item\'s own motion', () => {
    const cut = splitTimeline(buildTimeline(images(4), { canvas, transition: 'none' }), 2);
    expect(cut.map((p) => p.timeline.items.map((i) => i.path))).toEqual([['s0.jpg', 's1.jpg'], ['s2.jpg', 's3.jpg']]);
    const moving = buildTimeline(images(4), { canvas, motion: 'kenburns' });
    const parts = splitTimeline(moving, 2);
    expect(parts[0]?.timeline.items.map((i) => i.path)).toEqual(['s0.jpg', 's1.jpg', 's2.jpg']);
    expect(parts[1]?.timeline.items[0]).toMatchObject({ kind: 'image', kenBurns: (moving.items[2] as { kenBurns: unknown }).kenBurns });
  });

  it('gives each part items up to the budget by their cost, at least one, every frame still kept once', () => {
    const inputs: TimelineInput[] = ['image', 'video', 'image', 'image', 'video', 'video', 'image'].map((kind, i) =>
      // Four times the canvas's pixels: a clip costs 6.
      kind === 'image' ? { kind: 'image', path: `s${i}.jpg` } : { kind: 'video', path: `s${i}.mp4`, durationSeconds: 2, width: 128, height: 224 },
    );
    const timeline = buildTimeline(inputs, { canvas, transition: 'none' });
    const parts = splitTimeline(timeline, 6);
    expect(parts.map((p) => p.timeline.items.map((i) => i.path))).toEqual([['s0.jpg'], ['s1.mp4'], ['s2.jpg', 's3.jpg'], ['s4.mp4'], ['s5.mp4'], ['s6.jpg']]);
    expect(parts.reduce((sum, p) => sum + p.to - p.from, 0)).toBe(framesOf(timelineDuration(timeline), 30));
    expect(splitTimeline(timeline, 1).map((p) => p.timeline.items.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('clipCost', () => {
  const full = { width: 1080, height: 1920 };
  it('counts a clip by its frame against the canvas, never less than one the canvas\'s size', () => {
    expect(clipCost({ width: 3840, height: 2160 }, full)).toBeCloseTo(6);
    expect(clipCost({ width: 1920, height: 1080 }, full)).toBeCloseTo(1.5);
    expect(clipCost({ width: 640, height: 360 }, full)).toBeCloseTo(1.5);
    expect(clipCost({}, full)).toBeCloseTo(1.5);
  });
});
