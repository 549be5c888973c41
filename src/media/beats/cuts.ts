/**
 * Where the slides change: on beats, every 1st, 2nd or 4th beat (8th for fast songs) so each
 * hold stays inside the hold range, bar-aligned where the stride allows, and the video ends on
 * a downbeat. Without a clear beat: even holds. Pure.
 */
import { InvalidSetting } from '../../errors.js';
import type { BeatAnalysis } from './analyse.js';

export interface HoldRange {
  min: number;
  max: number;
}

export const DEFAULT_HOLD_RANGE: HoldRange = { min: 1.5, max: 4 };

/** `1.5-4` → { min: 1.5, max: 4 }; null when the text is not two numbers joined by a dash. */
export function parseHoldRange(text: string): HoldRange | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  return match ? { min: Number(match[1]), max: Number(match[2]) } : null;
}

/** Refuses a range no hold can be inside: the shortest above 0, the longest no shorter. */
export function checkHoldRange(range: HoldRange): HoldRange {
  if (!(Number.isFinite(range.min) && Number.isFinite(range.max) && range.min > 0 && range.max >= range.min)) {
    throw new InvalidSetting('holdRange', `${range.min}-${range.max}`, 'must be the shortest and the longest hold in seconds, above 0, shortest first (such as 1.5-4)');
  }
  return range;
}
const STRIDES = [1, 2, 4, 8] as const;
const BEATS_PER_BAR = 4;

export type Ending = 'downbeat' | 'beat' | 'song-end' | 'even';

export interface CutPlan {
  onBeat: boolean;
  /** Beats from one slide change to the next (absent for even holds). */
  everyBeats?: number;
  /** Seconds into the video of each slide change: one fewer than the items. */
  cuts: number[];
  /** Seconds: where the video ends. */
  end: number;
  ending: Ending;
  /** Cuts and the end placed past the song's last beat, at its tempo (a song too short for the group). */
  pastLastBeat: number;
  warnings: string[];
}

export interface CutOptions {
  items: number;
  holdRange: HoldRange;
  /** Seconds each item holds when there is no beat (clamped to the range). */
  evenHold: number;
}

export function planCuts(analysis: BeatAnalysis, o: CutOptions): CutPlan {
  if (!analysis.clear || analysis.tempo === undefined) {
    const hold = Math.min(o.holdRange.max, Math.max(o.holdRange.min, o.evenHold));
    return {
      onBeat: false,
      cuts: Array.from({ length: o.items - 1 }, (_, i) => (i + 1) * hold),
      end: o.items * hold,
      ending: 'even',
      pastLastBeat: 0,
      warnings: [`no clear beat in the song (speech or ambient sound?): even ${hold} s holds`],
    };
  }
  const period = 60 / analysis.tempo;
  const middle = Math.sqrt(o.holdRange.min * o.holdRange.max);
  const inRange = STRIDES.filter((k) => fits(k * period, o.holdRange));
  const candidates = inRange.length > 0
    ? [...inRange].sort((a, b) => Math.abs(Math.log((a * period) / middle)) - Math.abs(Math.log((b * period) / middle)))
    : [nearestStride(period, o.holdRange)];
  const grid = beatGrid(analysis, o.holdRange);
  const walks = candidates.map((k) => walk(analysis, grid, k, o));
  // A quiet intro is filled at the tempo whatever the stride: only running past the song counts against one.
  const plan = walks.find((w) => w.pastLastBeat === 0) ?? walks.reduce((a, b) => (b.pastLastBeat < a.pastLastBeat ? b : a));
  const warnings: string[] = [];
  if (inRange.length === 0) {
    warnings.push(
      `at ${analysis.tempo.toFixed(1)} BPM no 1, 2, 4 or 8 beats fit holds of ${o.holdRange.min}-${o.holdRange.max} s: holding ${plan.everyBeats} beats (${(plan.everyBeats * period).toFixed(2)} s)`,
    );
  }
  if (plan.beforeFirstBeat > 0) {
    const first = analysis.beats[0] as number;
    warnings.push(`the song's beats start at ${first.toFixed(1)} s: ${plan.beforeFirstBeat} earlier cut(s) follow its tempo, not its beats`);
  }
  if (plan.pastLastBeat > 0) {
    const last = analysis.beats[analysis.beats.length - 1] as number;
    warnings.push(`the song's beats stop at ${last.toFixed(1)} s: ${plan.pastLastBeat} later cut(s) follow its tempo, not its beats`);
  }
  return { onBeat: true, everyBeats: plan.everyBeats, cuts: plan.cuts, end: plan.end, ending: plan.ending, pastLastBeat: plan.pastLastBeat, warnings };
}

interface Walk {
  everyBeats: number;
  cuts: number[];
  end: number;
  ending: Ending;
  /** Cuts placed before the song's first beat (a quiet intro), at its tempo. */
  beforeFirstBeat: number;
  /** Cuts and ends placed past the song's last beat, at its tempo. */
  pastLastBeat: number;
}

/** The beats the walks step on: the song's, after `lead` beats filled in before them. */
interface BeatGrid {
  beats: number[];
  lead: number;
}

/**
 * A quiet intro longer than a hold gets beats at the song's tempo, counted back from its first
 * beat, so the first slide does not hold until the music starts.
 */
function beatGrid(analysis: BeatAnalysis, range: HoldRange): BeatGrid {
  const firstBeat = analysis.beats[0] as number;
  const period = 60 / (analysis.sections[0]?.bpm ?? (analysis.tempo as number));
  const lead = firstBeat > range.max ? Math.floor((firstBeat - 1e-9) / period) : 0;
  return { beats: [...Array.from({ length: lead }, (_, i) => firstBeat - (lead - i) * period), ...analysis.beats], lead };
}

function walk(analysis: BeatAnalysis, grid: BeatGrid, stride: number, o: CutOptions): Walk {
  const { beats, lead } = grid;
  const firstBeat = analysis.beats[0] as number;
  const lastSection = analysis.sections[analysis.sections.length - 1];
  const lastPeriod = 60 / (lastSection?.bpm ?? (analysis.tempo as number));
  const last = beats.length - 1;
  const at = (i: number) => (i <= last ? (beats[i] as number) : (beats[last] as number) + (i - last) * lastPeriod);
  const unit = Math.min(stride, BEATS_PER_BAR);
  const aligned = (i: number, every: number) => (((i - lead - analysis.downbeatPhase) % every) + every) % every === 0;
  const range = o.holdRange;

  const cuts: number[] = [];
  let previous = 0;
  let index = -1;
  for (let c = 0; c < o.items - 1; c++) {
    const next = index < 0 ? firstCut(at, aligned, unit, range) : nextCut(at, index, stride, previous, range);
    cuts.push(at(next));
    previous = at(next);
    index = next;
  }

  // The end: a downbeat in range, else a beat in range, else where the song stops, else past it.
  const endOn = (every: number, upTo: number): number | undefined => {
    for (let i = index + 1; i <= upTo && at(i) - previous <= range.max + 1e-9; i++) {
      if (fits(at(i) - previous, range) && aligned(i, every)) return i;
    }
    return undefined;
  };
  const songLeft = analysis.durationSeconds - previous;
  const beyond = Number.MAX_SAFE_INTEGER;
  const real = endOn(BEATS_PER_BAR, last) ?? endOn(1, last);
  const endIndex = real ?? (songLeft >= range.min ? undefined : endOn(BEATS_PER_BAR, beyond) ?? endOn(1, beyond));
  let end: number;
  let ending: Ending;
  if (endIndex === undefined) {
    end = songLeft >= range.min ? Math.min(analysis.durationSeconds, previous + range.max) : previous + range.min;
    ending = 'song-end';
  } else {
    end = at(endIndex);
    ending = aligned(endIndex, BEATS_PER_BAR) ? 'downbeat' : 'beat';
  }
  const pastLastBeat = cuts.filter((t) => t > (beats[last] as number) + 1e-9).length + (endIndex !== undefined && endIndex > last ? 1 : 0);
  const beforeFirstBeat = cuts.filter((t) => t < firstBeat - 1e-9).length;
  return { everyBeats: stride, cuts, end, ending, beforeFirstBeat, pastLastBeat };
}

/** The first bar-aligned beat a whole hold after the start, or the first beat that is. */
function firstCut(at: (i: number) => number, aligned: (i: number, every: number) => boolean, unit: number, range: HoldRange): number {
  let first = 0;
  while (at(first) < range.min) first++;
  for (let i = first; at(i) <= range.max; i++) if (aligned(i, unit)) return i;
  return first;
}

/** `stride` beats on, or, where the tempo has changed too much for that, the stride that fits. */
function nextCut(at: (i: number) => number, index: number, stride: number, previous: number, range: HoldRange): number {
  if (fits(at(index + stride) - previous, range)) return index + stride;
  const middle = Math.sqrt(range.min * range.max);
  const options = STRIDES.map((k) => index + k).filter((i) => fits(at(i) - previous, range));
  if (options.length === 0) return index + stride;
  return options.reduce((a, b) => (Math.abs(Math.log((at(b) - previous) / middle)) < Math.abs(Math.log((at(a) - previous) / middle)) ? b : a));
}

function nearestStride(period: number, range: HoldRange): number {
  const distance = (k: number) => {
    const hold = k * period;
    return hold < range.min ? Math.log(range.min / hold) : Math.log(hold / range.max);
  };
  return STRIDES.reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

function fits(hold: number, range: HoldRange): boolean {
  return hold >= range.min - 1e-9 && hold <= range.max + 1e-9;
}
