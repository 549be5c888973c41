/**
 * Tempo from the onset envelope's autocorrelation: the beat period is the lag at which the
 * envelope best matches itself, weighted towards 120 BPM so a track is not read at half or
 * double its tempo. Local periods follow a tempo that changes.
 */

export const MIN_BPM = 50;
export const MAX_BPM = 220;
/** Octaves (σ) of the preference for periods near 0.5 s. */
const PRIOR_OCTAVES = 1;
const PRIOR_SECONDS = 0.5;
const LOCAL_WINDOW_SECONDS = 4;
const LOCAL_HOP_SECONDS = 0.5;
/** A local period may differ from the track's by at most this factor. */
const LOCAL_RANGE = 1.45;

export interface Period {
  /** Frames, fractional. */
  frames: number;
  /** Normalised autocorrelation at that lag: 1 a perfect repetition, about 0 none. */
  clarity: number;
}

/** The track's main beat period. */
export function mainPeriod(envelope: Float32Array, framesPerSecond: number): Period {
  const minLag = Math.max(1, Math.floor((60 / MAX_BPM) * framesPerSecond));
  const maxLag = Math.ceil((60 / MIN_BPM) * framesPerSecond);
  const reference = PRIOR_SECONDS * framesPerSecond;
  const prior = (lag: number) => Math.exp(-0.5 * (Math.log2(lag / reference) / PRIOR_OCTAVES) ** 2);
  return bestLag(envelope, 0, envelope.length, minLag, maxLag, prior);
}

/**
 * The period around each frame, from windows of a few seconds; windows without a clear
 * repetition of their own keep the main period.
 */
export function localPeriods(envelope: Float32Array, framesPerSecond: number, main: Period, minClarity: number): Float32Array {
  const window = Math.round(LOCAL_WINDOW_SECONDS * framesPerSecond);
  const hop = Math.round(LOCAL_HOP_SECONDS * framesPerSecond);
  const periods = new Float32Array(envelope.length).fill(main.frames);
  if (envelope.length < window + hop) return periods;
  const minLag = Math.max(1, Math.floor(main.frames / LOCAL_RANGE));
  const maxLag = Math.ceil(main.frames * LOCAL_RANGE);
  const centres: number[] = [];
  const values: number[] = [];
  for (let from = 0; from + window <= envelope.length; from += hop) {
    const local = bestLag(envelope, from, from + window, minLag, maxLag, () => 1);
    centres.push(from + window / 2);
    values.push(local.clarity >= minClarity ? local.frames : main.frames);
  }
  const smoothed = values.map((_, i) => median(values.slice(Math.max(0, i - 1), i + 2)));
  for (let f = 0; f < envelope.length; f++) periods[f] = interpolate(centres, smoothed, f);
  return periods;
}

function bestLag(x: Float32Array, from: number, to: number, minLag: number, maxLag: number, weight: (lag: number) => number): Period {
  const energy = correlation(x, from, to, 0);
  const top = Math.min(maxLag + 1, to - from - 1);
  const scores = new Float64Array(top + 1);
  let best = -1;
  for (let lag = Math.max(1, minLag - 1); lag <= top; lag++) {
    const score = energy > 0 ? correlation(x, from, to, lag) / energy : 0;
    scores[lag] = score;
    if (lag >= minLag && lag <= maxLag && (best < 0 || score * weight(lag) > (scores[best] as number) * weight(best))) {
      best = lag;
    }
  }
  if (best < 0) return { frames: minLag, clarity: 0 };
  const left = scores[best - 1] ?? 0;
  const centre = scores[best] as number;
  const right = best + 1 <= top ? (scores[best + 1] as number) : centre;
  const curve = left - 2 * centre + right;
  const shift = curve < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (left - right)) / curve)) : 0;
  return { frames: best + shift, clarity: Math.max(0, centre) };
}

/** Mean of x[t]·x[t+lag] over the overlap inside [from, to). */
function correlation(x: Float32Array, from: number, to: number, lag: number): number {
  let sum = 0;
  for (let t = from; t + lag < to; t++) sum += (x[t] as number) * (x[t + lag] as number);
  return sum / Math.max(1, to - from - lag);
}

function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= (xs[0] as number)) return ys[0] as number;
  for (let i = 1; i < xs.length; i++) {
    const x1 = xs[i] as number;
    if (x <= x1) {
      const x0 = xs[i - 1] as number;
      const y0 = ys[i - 1] as number;
      return y0 + (((ys[i] as number) - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return ys[ys.length - 1] as number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
