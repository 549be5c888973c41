/**
 * The beats a render cuts on, and the cuts a song gives before anything is rendered
 * (`preview-beats`): the settings checked, the song decoded and analysed from its offset.
 */
import { access } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import type { BeatAnalysis } from '../../media/beats/analyse.js';
import { checkHoldRange, DEFAULT_HOLD_RANGE, planCuts, type CutPlan, type HoldRange } from '../../media/beats/cuts.js';
import { decodeSong, songAnalysis } from '../../media/beats/song.js';

/** A group holds at most this many items (slides_claim_group, 0004). */
export const MAX_GROUP_ITEMS = 35;
const DEFAULT_EVEN_HOLD = 3;

export interface SongBeatsOptions {
  holdRange?: HoldRange;
  /** Seconds into the song where the video's sound starts. */
  beatOffset?: number;
  ffmpegPath?: string;
}

/** Seconds of song past the longest video a group can make that the analysis still reads. */
const SONG_TAIL = 10;

/**
 * The part of the song the video can use (a full group at the longest holds), decoded: a song
 * that cannot be read is refused. `songAnalysis` finds its beats.
 */
export async function songSamples(path: string, o: SongBeatsOptions): Promise<Float32Array> {
  const holdRange = o.holdRange ?? DEFAULT_HOLD_RANGE;
  checkHoldRange(holdRange);
  return decodeSong(path, {
    startSeconds: o.beatOffset ?? 0,
    maxSeconds: MAX_GROUP_ITEMS * holdRange.max + SONG_TAIL,
    ...(o.ffmpegPath === undefined ? {} : { ffmpegPath: o.ffmpegPath }),
  });
}

export interface BeatPreview {
  analysis: BeatAnalysis;
  plan: CutPlan;
  /** Items the plan cuts between. */
  slides: number;
}

/**
 * The cuts for `slides` items, or, without a count, for as many as the song carries on its own
 * beats (at most a group's worth).
 */
export async function previewBeats(path: string, o: SongBeatsOptions & { slides?: number; slideDuration?: number }): Promise<BeatPreview> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`${path}: no such file`);
  }
  const analysis = songAnalysis(await songSamples(path, o));
  const cutOptions = { holdRange: o.holdRange ?? DEFAULT_HOLD_RANGE, evenHold: o.slideDuration ?? DEFAULT_EVEN_HOLD };
  if (o.slides !== undefined) return { analysis, plan: planCuts(analysis, { ...cutOptions, items: o.slides }), slides: o.slides };
  let best: BeatPreview = { analysis, plan: planCuts(analysis, { ...cutOptions, items: 1 }), slides: 1 };
  for (let items = 2; items <= MAX_GROUP_ITEMS; items++) {
    const plan = planCuts(analysis, { ...cutOptions, items });
    if (plan.end > analysis.durationSeconds + 1e-9 || plan.pastLastBeat > best.plan.pastLastBeat) break;
    best = { analysis, plan, slides: items };
  }
  return best;
}
