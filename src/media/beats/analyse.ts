/** Mono samples → beats, tempo and whether there is a beat at all. Pure. */
import { frameSeconds, onsetEnvelope } from './onset.js';
import { localPeriods, mainPeriod, median } from './tempo.js';
import { trackBeats } from './track.js';

/**
 * Below this normalised autocorrelation the envelope does not repeat: speech, ambient, noise.
 * Click tracks score about 0.9, drum loops under noise 0.3 and more, speech and pads under 0.1.
 */
export const MIN_CLARITY = 0.2;
/**
 * Below this the onsets are no sharper than swells: the kurtosis of the onset strength, 3 for
 * Gaussian noise. Steady tones, noise, tremolo and speech score under 7; drum patterns over 11
 * even under loud noise, clicks over 100. Clarity alone cannot tell: a steady tone's envelope
 * repeats perfectly (the window slides over the same waveform) with nothing starting in it.
 */
export const MIN_PEAKINESS = 8.5;
const BEATS_PER_BAR = 4;
/** Neighbouring beat gaps within this fraction belong to one tempo. */
const SAME_TEMPO = 0.04;
const MIN_SECTION_BEATS = 4;

export interface TempoSection {
  /** Seconds of the section's first beat. */
  from: number;
  bpm: number;
}

export interface BeatAnalysis {
  durationSeconds: number;
  /** Whether the track has a beat to cut on (false for speech, ambient sound, steady tones, noise, silence). */
  clear: boolean;
  /** How regularly the onsets repeat, 0..1. */
  clarity: number;
  /** BPM of the longest section; absent without a clear beat. */
  tempo?: number;
  /** Seconds from the start of the samples. */
  beats: number[];
  /** `beats[i]` starts a bar when `i % 4 === downbeatPhase`. */
  downbeatPhase: number;
  sections: TempoSection[];
}

export function analyseBeats(samples: Float32Array, sampleRate: number): BeatAnalysis {
  const durationSeconds = samples.length / sampleRate;
  const { strength, bass, framesPerSecond } = onsetEnvelope(samples, sampleRate);
  const main = mainPeriod(strength, framesPerSecond);
  const beatFrames = main.clarity >= MIN_CLARITY && peakiness(strength) >= MIN_PEAKINESS ? trackBeats(strength, localPeriods(strength, framesPerSecond, main, MIN_CLARITY)) : [];
  if (beatFrames.length < BEATS_PER_BAR) {
    return { durationSeconds, clear: false, clarity: main.clarity, beats: [], downbeatPhase: 0, sections: [] };
  }
  const beats = beatFrames.map((f) => frameSeconds(f, framesPerSecond));
  const sections = tempoSections(beats);
  const longest = sections.reduce((a, _, i) => (sectionLength(sections, i, beats) > sectionLength(sections, a, beats) ? i : a), 0);
  return {
    durationSeconds,
    clear: true,
    clarity: main.clarity,
    tempo: (sections[longest] as TempoSection).bpm,
    beats,
    downbeatPhase: downbeatPhase(beatFrames, bass),
    sections,
  };
}

/** The kurtosis of the envelope: how far its peaks stand out of its spread; 0 for silence. */
function peakiness(x: Float32Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let second = 0;
  let fourth = 0;
  for (const v of x) {
    second += (v - mean) ** 2;
    fourth += (v - mean) ** 4;
  }
  return second === 0 ? 0 : (fourth * x.length) / (second * second);
}

/** Runs of beats at one tempo, each with its BPM fitted over all its beats. */
export function tempoSections(beats: readonly number[]): TempoSection[] {
  const gaps = beats.slice(1).map((b, i) => b - (beats[i] as number));
  const local = gaps.map((_, i) => median(gaps.slice(Math.max(0, i - 2), i + 3)));
  const starts = [0];
  let reference = local[0] as number;
  local.forEach((gap, i) => {
    if (Math.abs(gap / reference - 1) <= SAME_TEMPO) return;
    reference = gap;
    if (i - (starts[starts.length - 1] as number) >= MIN_SECTION_BEATS) starts.push(i);
  });
  return starts.map((start, k) => {
    const end = k + 1 < starts.length ? (starts[k + 1] as number) : beats.length - 1;
    return { from: beats[start] as number, bpm: 60 / slope(beats.slice(start, end + 1)) };
  });
}

function sectionLength(sections: readonly TempoSection[], i: number, beats: readonly number[]): number {
  const end = sections[i + 1]?.from ?? (beats[beats.length - 1] as number);
  return end - (sections[i] as TempoSection).from;
}

/** Least-squares seconds per beat. */
function slope(times: readonly number[]): number {
  const n = times.length;
  const meanIndex = (n - 1) / 2;
  const meanTime = times.reduce((a, t) => a + t, 0) / n;
  let num = 0;
  let den = 0;
  times.forEach((t, i) => {
    num += (i - meanIndex) * (t - meanTime);
    den += (i - meanIndex) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/** The bar position whose beats carry the most bass (kicks fall on the one); ties go to the first beat. */
function downbeatPhase(beatFrames: readonly number[], bass: Float32Array): number {
  const totals = new Array<number>(BEATS_PER_BAR).fill(0);
  beatFrames.forEach((frame, i) => {
    const at = Math.round(frame);
    let peak = 0;
    for (let k = at - 2; k <= at + 2; k++) peak = Math.max(peak, bass[k] ?? 0);
    totals[i % BEATS_PER_BAR] = (totals[i % BEATS_PER_BAR] as number) + peak;
  });
  let best = 0;
  totals.forEach((total, phase) => {
    if (total > 1.2 * (totals[best] as number)) best = phase;
  });
  return best;
}
