/** Synthetic music with known beats, made in the test: clicks, a drum pattern under noise, no beat at all. */
import { writeFile } from 'node:fs/promises';

export const RATE = 44_100;

export interface Track {
  samples: Float32Array;
  /** Seconds of every beat. */
  beats: number[];
}

/** A seeded generator (mulberry32), so every run hears the same noise. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function add(x: Float32Array, at: number, sound: (k: number) => number, length: number): void {
  const start = Math.round(at * RATE);
  for (let k = 0; k < length && start + k < x.length; k++) x[start + k] = (x[start + k] as number) + sound(k);
}

/** Beats every 60/bpm s from `first`, each a short 1.5 kHz click. */
export function clickTrack(bpm: number, seconds: number, first = 0.37): Track {
  return tempoChange([{ bpm, until: seconds }], seconds, first);
}

/** Clicks whose tempo changes: each part lasts until its `until` (seconds). */
export function tempoChange(parts: readonly { bpm: number; until: number }[], seconds: number, first = 0.37): Track {
  const samples = new Float32Array(Math.round(seconds * RATE));
  const beats: number[] = [];
  let t = first;
  for (const part of parts) {
    for (; t < Math.min(part.until, seconds - 0.1); t += 60 / part.bpm) {
      beats.push(t);
      add(samples, t, (k) => 0.8 * Math.sin((2 * Math.PI * 1500 * k) / RATE) * Math.exp(-k / 120), 1200);
    }
  }
  return { samples, beats };
}

/** Kick on 1 and 3, snare on 2 and 4, hats on every eighth, under steady noise `noise` (0..1). */
export function kickAndHat(bpm: number, seconds: number, noise: number, first = 0.21): Track {
  const rnd = random(7);
  const samples = new Float32Array(Math.round(seconds * RATE));
  const beats: number[] = [];
  const beat = 60 / bpm;
  for (let i = 0; first + i * beat < seconds - 0.3; i++) {
    const t = first + i * beat;
    beats.push(t);
    if (i % 2 === 0) {
      let phase = 0;
      add(samples, t, (k) => {
        phase += (2 * Math.PI * (50 + 90 * Math.exp(-k / 1500))) / RATE;
        return 0.9 * Math.sin(phase) * Math.exp(-k / 6000);
      }, 12_000);
    } else {
      add(samples, t, (k) => 0.5 * (rnd() * 2 - 1) * Math.exp(-k / 2500), 9000);
    }
    for (const hat of [t, t + beat / 2]) {
      let last = 0;
      add(samples, hat, (k) => {
        const white = rnd() * 2 - 1;
        const high = white - last;
        last = white;
        return 0.25 * high * Math.exp(-k / 600);
      }, 3000);
    }
  }
  for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] as number) + noise * (rnd() * 2 - 1);
  return { samples, beats };
}

/** Syllable-like bursts of voiced sound at irregular times: no beat. */
export function speechLike(seconds: number): Float32Array {
  const rnd = random(11);
  const samples = new Float32Array(Math.round(seconds * RATE));
  for (let t = 0.2; t < seconds - 0.5; ) {
    const length = 0.06 + rnd() * 0.25;
    const pitch = 110 + rnd() * 90;
    const formant = 500 + rnd() * 1500;
    const n = Math.round(length * RATE);
    add(samples, t, (k) => {
      const envelope = Math.sin((Math.PI * k) / n);
      const s = k / RATE;
      return 0.4 * envelope * (Math.sin(2 * Math.PI * pitch * s) + 0.5 * Math.sin(2 * Math.PI * formant * s) + 0.1 * (rnd() * 2 - 1));
    }, n);
    t += length + 0.03 + rnd() * (rnd() < 0.15 ? 0.6 : 0.2);
  }
  return samples;
}

/** Slowly swelling chords over soft noise: no beat. */
export function ambient(seconds: number): Float32Array {
  const rnd = random(13);
  const samples = new Float32Array(Math.round(seconds * RATE));
  const notes = [220, 277.2, 329.6, 415.3];
  for (let i = 0; i < samples.length; i++) {
    const s = i / RATE;
    let v = 0;
    notes.forEach((f, j) => {
      v += Math.sin(2 * Math.PI * f * s) * (0.5 + 0.5 * Math.sin(2 * Math.PI * (0.07 + 0.03 * j) * s + j));
    });
    samples[i] = 0.12 * v + 0.03 * (rnd() * 2 - 1);
  }
  return samples;
}

/** A sine that never changes: nothing starts in it. */
export function steadyTone(hz: number, seconds: number, rate = RATE): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Steady white noise, or pink (Kellet's filter: equal energy per octave). */
export function noise(seconds: number, colour: 'white' | 'pink'): Float32Array {
  const rnd = random(3);
  const b = [0, 0, 0, 0, 0, 0, 0];
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => {
    const w = rnd() * 2 - 1;
    if (colour === 'white') return 0.3 * w;
    b[0] = 0.99886 * b[0]! + w * 0.0555179;
    b[1] = 0.99332 * b[1]! + w * 0.0750759;
    b[2] = 0.969 * b[2]! + w * 0.153852;
    b[3] = 0.8665 * b[3]! + w * 0.3104856;
    b[4] = 0.55 * b[4]! + w * 0.5329522;
    b[5] = -0.7616 * b[5]! - w * 0.016898;
    const pink = b.reduce((a, v) => a + v, 0) + w * 0.5362;
    b[6] = w * 0.115926;
    return 0.05 * pink;
  });
}

/**
 * A voice-like carrier (150 Hz and 900 Hz, or noise) swelling and fading `hz` times a second,
 * like syllables; `jitter` (0..1) varies the rate every 50 ms. Regular, but no onsets.
 */
export function amplitudeModulated(hz: number, seconds: number, carrier: 'voice' | 'noise', jitter = 0): Float32Array {
  const rnd = random(9);
  let phase = 0;
  let rate = hz;
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => {
    if (i % Math.round(RATE / 20) === 0) rate = hz * (1 + jitter * (rnd() * 2 - 1));
    phase += (2 * Math.PI * rate) / RATE;
    const sound = carrier === 'noise' ? rnd() * 2 - 1 : Math.sin((2 * Math.PI * 150 * i) / RATE) + 0.5 * Math.sin((2 * Math.PI * 900 * i) / RATE);
    return 0.4 * (0.5 - 0.5 * Math.cos(phase)) * sound;
  });
}

/** 16-bit mono PCM WAV. */
export async function writeWav(path: string, samples: Float32Array, rate = RATE): Promise<string> {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  await writeFile(path, Buffer.concat([header, data]));
  return path;
}

/** Distance (s) from `time` to the nearest of `beats`. */
export function offBeat(time: number, beats: readonly number[]): number {
  return beats.reduce((best, b) => Math.min(best, Math.abs(b - time)), Infinity);
}
