import { describe, expect, it } from 'vitest';
import type { BeatAnalysis } from '../../src/media/beats/analyse.js';
import { InvalidSetting } from '../../src/errors.js';
import { checkHoldRange, DEFAULT_HOLD_RANGE, parseHoldRange, planCuts, type HoldRange } from '../../src/media/beats/cuts.js';
import { holdsFor } from '../../src/media/beats/holds.js';
import { buildTimeline } from '../../src/media/timeline.js';

/** A steady beat from `first` to the end of the song; bars start at beat `phase`. */
function steady(bpm: number, seconds: number, first = 0.25, phase = 0): BeatAnalysis {
  const beats: number[] = [];
  for (let t = first; t < seconds; t += 60 / bpm) beats.push(t);
  return { durationSeconds: seconds, clear: true, clarity: 0.9, tempo: bpm, beats, downbeatPhase: phase, sections: [{ from: first, bpm }] };
}

const indexOf = (a: BeatAnalysis, t: number) => a.beats.findIndex((b) => Math.abs(b - t) < 1e-9);
const holds = (cuts: readonly number[], end: number) => [0, ...cuts, end].slice(1).map((t, i) => t - [0, ...cuts][i]!);

describe('planCuts', () => {
  it.each([
    { bpm: 120, everyBeats: 4, hold: 2 },
    { bpm: 128, everyBeats: 4, hold: 1.875 },
    { bpm: 90, everyBeats: 4, hold: 2.667 },
    { bpm: 60, everyBeats: 2, hold: 2 },
    { bpm: 200, everyBeats: 8, hold: 2.4 },
    { bpm: 170, everyBeats: 4, hold: 1.412 },
  ])('at $bpm BPM cuts every $everyBeats beats ($hold s), on bar lines, ending on a downbeat', ({ bpm, everyBeats, hold }) => {
    const range: HoldRange = bpm === 170 ? { min: 1.2, max: 3 } : DEFAULT_HOLD_RANGE;
    const a = steady(bpm, 60, 0.25, 1);
    const plan = planCuts(a, { items: 6, holdRange: range, evenHold: 3 });
    expect(plan).toMatchObject({ onBeat: true, everyBeats, ending: 'downbeat', warnings: [] });
    expect(plan.cuts).toHaveLength(5);
    for (const t of [...plan.cuts, plan.end]) {
      const i = indexOf(a, t);
      expect(i).toBeGreaterThanOrEqual(0);
      expect((i - 1) % Math.min(everyBeats, 4)).toBe(0);
    }
    expect((indexOf(a, plan.end) - 1) % 4).toBe(0);
    for (const h of holds(plan.cuts.slice(1), plan.end).slice(1)) expect(h).toBeCloseTo(hold, 2);
    for (const h of holds(plan.cuts, plan.end)) {
      expect(h).toBeGreaterThanOrEqual(range.min - 1e-9);
      expect(h).toBeLessThanOrEqual(range.max + 1e-9);
    }
  });

  it('follows a tempo change, changing the stride where the old one leaves the range', () => {
    const slow = steady(60, 20, 0.5);
    const fast: number[] = [];
    for (let t = 20.5; t < 60; t += 0.25) fast.push(t);
    const a: BeatAnalysis = { ...slow, durationSeconds: 60, beats: [...slow.beats, ...fast], sections: [{ from: 0.5, bpm: 60 }, { from: 20.5, bpm: 240 }] };
    const plan = planCuts(a, { items: 16, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    for (const t of [...plan.cuts, plan.end]) expect(indexOf(a, t)).toBeGreaterThanOrEqual(0);
    for (const h of holds(plan.cuts, plan.end)) {
      expect(h).toBeGreaterThanOrEqual(1.5);
      expect(h).toBeLessThanOrEqual(4);
    }
    expect(plan.cuts.some((t) => t > 21)).toBe(true);
  });

  it('picks a shorter stride when the song is too short for the preferred one', () => {
    const a = steady(60, 14, 0.5);
    const plan = planCuts(a, { items: 6, holdRange: { min: 1.5, max: 4 }, evenHold: 3 });
    expect(plan.everyBeats).toBe(2);
    expect(plan.end).toBeLessThanOrEqual(14);
    expect(plan.warnings).toEqual([]);
  });

  it('says so when the song runs out of beats, and follows its tempo past them', () => {
    const a = steady(120, 6, 0.25);
    const plan = planCuts(a, { items: 6, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(plan.warnings).toEqual([expect.stringMatching(/^the song's beats stop at 5\.8 s: \d+ later cut\(s\) follow its tempo/)]);
    for (const h of holds(plan.cuts, plan.end).slice(1)) expect(h).toBeCloseTo(2, 6);
  });

  it('ends where the song ends, when its last beats leave no downbeat in range', () => {
    const a = { ...steady(120, 5.5, 0.25), durationSeconds: 8 };
    const plan = planCuts(a, { items: 2, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(plan.cuts).toEqual([2.25]);
    expect(plan).toMatchObject({ ending: 'downbeat', end: 4.25 });
    const late = planCuts({ ...a, beats: a.beats.filter((b) => b < 3.5) }, { items: 2, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(late).toMatchObject({ ending: 'song-end', end: 2.25 + 4 });
  });

  it('names the stride it takes when no 1, 2, 4 or 8 beats fit the range', () => {
    const plan = planCuts(steady(100, 60), { items: 4, holdRange: { min: 3.7, max: 4.5 }, evenHold: 3 });
    expect(plan.everyBeats).toBe(8);
    expect(plan.warnings).toEqual(['at 100.0 BPM no 1, 2, 4 or 8 beats fit holds of 3.7-4.5 s: holding 8 beats (4.80 s)']);
  });

  it.each([
    { evenHold: 3, range: DEFAULT_HOLD_RANGE, hold: 3 },
    { evenHold: 6, range: DEFAULT_HOLD_RANGE, hold: 4 },
    { evenHold: 1, range: { min: 2, max: 5 }, hold: 2 },
  ])('falls back to even $hold s holds without a clear beat, with one line saying so', ({ evenHold, range, hold }) => {
    const a: BeatAnalysis = { durationSeconds: 30, clear: false, clarity: 0.05, beats: [], downbeatPhase: 0, sections: [] };
    const plan = planCuts(a, { items: 4, holdRange: range, evenHold });
    expect(plan).toEqual({
      onBeat: false,
      cuts: [hold, 2 * hold, 3 * hold],
      end: 4 * hold,
      ending: 'even',
      pastLastBeat: 0,
      warnings: [`no clear beat in the song (speech or ambient sound?): even ${hold} s holds`],
    });
  });
});

describe('a quiet intro', () => {
  it('20 s before the first beat: the cuts before it follow the tempo back from that beat, every hold in range', () => {
    const a = steady(120, 60, 20.25, 1);
    const plan = planCuts(a, { items: 12, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(plan.onBeat).toBe(true);
    for (const h of holds(plan.cuts, plan.end)) {
      expect(h).toBeGreaterThanOrEqual(DEFAULT_HOLD_RANGE.min - 1e-9);
      expect(h).toBeLessThanOrEqual(DEFAULT_HOLD_RANGE.max + 1e-9);
    }
    // On the beat grid the song's own beats continue backwards (every 0.5 s, from 20.25 s).
    for (const t of plan.cuts) expect(((t - 20.25) / 0.5) % 1).toBeCloseTo(0, 6);
    expect(plan.everyBeats).toBe(4);
    const early = plan.cuts.filter((t) => t < 20.25).length;
    expect(early).toBeGreaterThanOrEqual(8);
    expect(plan.pastLastBeat).toBe(0);
    expect(plan.warnings).toEqual([`the song's beats start at 20.3 s: ${early} earlier cut(s) follow its tempo, not its beats`]);
  });

  it('a first beat within a hold is not padded', () => {
    const plan = planCuts(steady(120, 60, 3.25, 1), { items: 4, holdRange: DEFAULT_HOLD_RANGE, evenHold: 3 });
    expect(plan.warnings).toEqual([]);
    expect(plan.cuts[0]).toBeGreaterThanOrEqual(3.25);
  });
});

describe('holdsFor', () => {
  it('centres every transition on its cut: the next item starts half a transition before it', () => {
    const plan = { onBeat: true, everyBeats: 4, cuts: [2.25, 4.25, 6.25], end: 8.25, ending: 'downbeat' as const, pastLastBeat: 0, warnings: [] };
    const { durations, transitionDuration } = holdsFor(plan, { kind: 'fade', seconds: 0.5 }, 30);
    expect(transitionDuration).toBeCloseTo(16 / 30, 9);
    const timeline = buildTimeline(
      durations.map((duration, i) => ({ kind: 'image' as const, path: `s${i}.jpg`, duration })),
      { canvas: { width: 108, height: 192 }, transitionDuration },
    );
    expect(timeline.transitions.map((t) => t.duration)).toEqual([16 / 30, 16 / 30, 16 / 30]);
    timeline.items.slice(1).forEach((item, i) => {
      expect(Math.round((item.start + transitionDuration / 2) * 30)).toBe(Math.round(plan.cuts[i]! * 30));
    });
    const last = timeline.items.at(-1)!;
    expect(Math.round((last.start + last.duration) * 30)).toBe(Math.round(8.25 * 30));
  });

  it.each([
    { transition: 0, frames: 0 },
    { transition: 0.4, frames: 12 },
    { transition: 0.5, frames: 16 },
    { transition: 3, frames: 28 },
  ])('makes a $transition s transition an even $frames frames, short enough for the shortest hold', ({ transition, frames }) => {
    const plan = { onBeat: true, cuts: [1.5, 3], end: 4.5, ending: 'beat' as const, pastLastBeat: 0, warnings: [] };
    expect(holdsFor(plan, { kind: 'fade', seconds: transition }, 30).transitionDuration * 30).toBeCloseTo(frames, 9);
  });
});

describe('hold ranges', () => {
  it.each([
    { text: '1.5-4', range: { min: 1.5, max: 4 } },
    { text: ' 2 - 3 ', range: { min: 2, max: 3 } },
    { text: '2-2', range: { min: 2, max: 2 } },
    { text: '4', range: null },
    { text: '-1-3', range: null },
    { text: '1.5–4', range: null },
    { text: 'often', range: null },
  ])('$text reads as $range', ({ text, range }) => {
    expect(parseHoldRange(text)).toEqual(range);
  });

  it.each([{ min: 0, max: 3 }, { min: 4, max: 1.5 }, { min: 1, max: Infinity }])('$min-$max is refused as the holdRange setting', (range) => {
    let thrown: unknown;
    try {
      checkHoldRange(range);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidSetting);
    expect(thrown).toMatchObject({ field: 'holdRange', value: `${range.min}-${range.max}` });
  });
});

