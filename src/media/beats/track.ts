/**
 * Ellis' dynamic-programming beat tracker (2007): the beats are the frames that together have the
 * most onset strength while their spacing stays close to the local period.
 */

/** How strongly a gap differing from the period is penalised (librosa: 100; lower follows tempo changes). */
const TIGHTNESS = 40;

/** Beat positions as fractional frames, in order. */
export function trackBeats(strength: Float32Array, periods: Float32Array): number[] {
  const n = strength.length;
  if (n === 0) return [];
  const local = smoothByPeriod(strength, periods);
  const score = new Float64Array(n);
  const previous = new Int32Array(n).fill(-1);
  for (let t = 0; t < n; t++) {
    const period = periods[t] as number;
    const earliest = Math.max(0, Math.round(t - 2 * period));
    const latest = Math.round(t - period / 2);
    let best = -Infinity;
    let bestFrom = -1;
    for (let from = earliest; from <= latest; from++) {
      const gap = Math.log((t - from) / period);
      const candidate = (score[from] as number) - TIGHTNESS * gap * gap;
      if (candidate > best) {
        best = candidate;
        bestFrom = from;
      }
    }
    // A chain starts afresh where linking back would cost more than it brings (before the music).
    if (best > 0) {
      score[t] = (local[t] as number) + best;
      previous[t] = bestFrom;
    } else {
      score[t] = local[t] as number;
    }
  }
  const beats: number[] = [];
  for (let t = lastBeat(score); t >= 0; t = previous[t] as number) beats.push(t);
  beats.reverse();
  return trimWeakEnds(beats, local).map((b) => refine(local, b));
}

/** A Gaussian of σ = period/32 over the envelope: a beat may sit a little off the exact peak. */
function smoothByPeriod(x: Float32Array, periods: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let t = 0; t < x.length; t++) {
    const sigma = Math.max(0.5, (periods[t] as number) / 32);
    const radius = Math.ceil(3 * sigma);
    let sum = 0;
    let weights = 0;
    for (let k = -radius; k <= radius; k++) {
      const v = x[t + k];
      if (v === undefined) continue;
      const w = Math.exp(-0.5 * (k / sigma) ** 2);
      sum += w * v;
      weights += w;
    }
    out[t] = sum / weights;
  }
  return out;
}

/** The last local maximum of the cumulative score that is at least half the median of them all. */
function lastBeat(score: Float64Array): number {
  const maxima: number[] = [];
  for (let t = 1; t < score.length - 1; t++) {
    if ((score[t] as number) > (score[t - 1] as number) && (score[t] as number) >= (score[t + 1] as number)) maxima.push(t);
  }
  if (maxima.length === 0) return score.length - 1;
  const values = maxima.map((t) => score[t] as number).sort((a, b) => a - b);
  const threshold = 0.5 * (values[Math.floor(values.length / 2)] as number);
  for (let i = maxima.length - 1; i >= 0; i--) {
    const t = maxima[i] as number;
    if ((score[t] as number) >= threshold) return t;
  }
  return maxima[maxima.length - 1] as number;
}

/** Drops leading and trailing beats in near silence (the tracker extrapolates into them). */
function trimWeakEnds(beats: number[], local: Float32Array): number[] {
  if (beats.length === 0) return beats;
  const strengths = beats.map((b) => local[b] as number);
  const threshold = 0.5 * Math.sqrt(strengths.reduce((a, s) => a + s * s, 0) / strengths.length);
  let first = 0;
  let last = beats.length - 1;
  while (first <= last && (strengths[first] as number) < threshold) first++;
  while (last >= first && (strengths[last] as number) < threshold) last--;
  return beats.slice(first, last + 1);
}

/** The peak between frames, by a parabola through the beat frame and its neighbours. */
function refine(x: Float32Array, t: number): number {
  const left = x[t - 1];
  const right = x[t + 1];
  const centre = x[t] as number;
  if (left === undefined || right === undefined) return t;
  const curve = left - 2 * centre + right;
  return curve < 0 ? t + Math.max(-0.5, Math.min(0.5, (0.5 * (left - right)) / curve)) : t;
}
