/**
 * Onset strength: how much new sound starts in each short frame (log-magnitude spectral flux,
 * half-wave rectified), over the whole band and over the bass alone (kicks mark downbeats).
 */
import FFT from 'fft.js';

const WINDOW = 512;
const HOP = 128;
/** Below this (Hz) a rise counts as bass. */
const BASS_HZ = 150;
/** Seconds of the moving average taken away, so a steady noise floor counts for nothing. */
const DETREND_SECONDS = 0.4;

export interface OnsetEnvelope {
  /** Zero-mean, unit-variance onset strength per frame. */
  strength: Float32Array;
  /** Bass flux per frame, unnormalised. */
  bass: Float32Array;
  framesPerSecond: number;
}

export function onsetEnvelope(samples: Float32Array, sampleRate: number): OnsetEnvelope {
  const frames = samples.length < WINDOW ? 0 : Math.floor((samples.length - WINDOW) / HOP) + 1;
  const flux = new Float32Array(frames);
  const bass = new Float32Array(frames);
  const fft = new FFT(WINDOW);
  const hann = Float64Array.from({ length: WINDOW }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / WINDOW));
  const input = new Float64Array(WINDOW);
  const spectrum = fft.createComplexArray() as number[];
  const bins = WINDOW / 2 + 1;
  const bassBins = Math.max(1, Math.floor((BASS_HZ * WINDOW) / sampleRate));
  let previous = new Float64Array(bins);
  let current = new Float64Array(bins);
  for (let f = 0; f < frames; f++) {
    const offset = f * HOP;
    for (let i = 0; i < WINDOW; i++) input[i] = (samples[offset + i] as number) * (hann[i] as number);
    fft.realTransform(spectrum, input);
    let all = 0;
    let low = 0;
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k] as number;
      const im = spectrum[2 * k + 1] as number;
      const level = Math.log1p(100 * Math.sqrt(re * re + im * im));
      current[k] = level;
      const rise = level - (previous[k] as number);
      if (f > 0 && rise > 0) {
        all += rise;
        if (k >= 1 && k <= bassBins) low += rise;
      }
    }
    flux[f] = all;
    bass[f] = low;
    [previous, current] = [current, previous];
  }
  const framesPerSecond = sampleRate / HOP;
  return { strength: standardize(detrend(flux, Math.round(DETREND_SECONDS * framesPerSecond))), bass, framesPerSecond };
}

/** Seconds at which frame `index` (fractional) is judged to start its sound. */
export function frameSeconds(index: number, framesPerSecond: number): number {
  return (index + ONSET_LAG_FRAMES) / framesPerSecond;
}

/**
 * A sound is judged at the frame whose window it has just entered: that frame's first sample
 * is WINDOW−HOP·lag samples before the sound, measured on clicks (tests/media/beats-analysis).
 */
const ONSET_LAG_FRAMES = WINDOW / HOP - 1;

function detrend(x: Float32Array, radius: number): Float32Array {
  const prefix = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) prefix[i + 1] = (prefix[i] as number) + (x[i] as number);
  return x.map((v, i) => {
    const from = Math.max(0, i - radius);
    const to = Math.min(x.length, i + radius + 1);
    return v - ((prefix[to] as number) - (prefix[from] as number)) / (to - from);
  });
}

function standardize(x: Float32Array): Float32Array {
  if (x.length === 0) return x;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  const sd = Math.sqrt(variance / x.length);
  return sd === 0 ? x.map(() => 0) : x.map((v) => (v - mean) / sd);
}
