// Beat analysis of a 60 s song (decoded by ffmpeg, then onsets, tempo and beat tracking), and a
// whole `slides render` of 10 photos with --beats against the same render with even holds giving
// a video of the same length (so the ratio is what --beats costs, not a longer video), through
// the real CLI on the local backend. The two renders alternate, five times each, and the fastest of
// each is kept: on a shared 2-core machine one render's time varies by 10-15 %.
// The song: a 120 BPM kick, snare and hat pattern under noise, generated the same every run.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { analyseBeats } from '../dist/media/beats/analyse.js';
import { ANALYSIS_SAMPLE_RATE, decodeMono } from '../dist/media/beats/decode.js';
import { analyseSong } from '../dist/media/beats/song.js';
import { exec, fastest } from './lib.js';

const BIN = fileURLToPath(new URL('../bin/slides.js', import.meta.url));
const QUICK = Boolean(process.env.BENCH_QUICK);
const RATE = 44_100;
const SONG_SECONDS = 60;
const BPM = 120;
const SLIDES = 10;
const RUNS = QUICK ? 1 : 3;
const RENDER_RUNS = QUICK ? 1 : 5;
/** Seconds two neighbours overlap in a fade (the timeline's default transition). */
const FADE = 0.5;

/** mulberry32: the same noise every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function song() {
  const rnd = random(7);
  const x = new Float32Array(SONG_SECONDS * RATE);
  const add = (at, length, sound) => {
    const start = Math.round(at * RATE);
    for (let k = 0; k < length && start + k < x.length; k++) x[start + k] += sound(k);
  };
  const beat = 60 / BPM;
  for (let i = 0; 0.2 + i * beat < SONG_SECONDS - 0.3; i++) {
    const t = 0.2 + i * beat;
    if (i % 2 === 0) {
      let phase = 0;
      add(t, 12_000, (k) => {
        phase += (2 * Math.PI * (50 + 90 * Math.exp(-k / 1500))) / RATE;
        return 0.9 * Math.sin(phase) * Math.exp(-k / 6000);
      });
    } else add(t, 9000, (k) => 0.5 * (rnd() * 2 - 1) * Math.exp(-k / 2500));
    for (const hat of [t, t + beat / 2]) add(hat, 3000, (k) => 0.25 * (rnd() * 2 - 1) * Math.exp(-k / 600));
  }
  for (let i = 0; i < x.length; i++) x[i] += 0.1 * (rnd() * 2 - 1);
  return x;
}

async function writeWav(path, samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  await writeFile(path, Buffer.concat([header, data]));
}

function photoSvg(i) {
  const hue = (i * 37) % 360;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1600">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,30%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,65%)"/></linearGradient></defs>
<rect width="1200" height="1600" fill="url(#g)"/><circle cx="${300 + i * 60}" cy="700" r="240" fill="hsl(${(hue + 180) % 360},80%,60%)"/>
<path d="M0 1040 L360 760 L680 1000 L960 800 L1200 960 L1200 1600 L0 1600 Z" fill="hsl(${hue},30%,20%)"/></svg>`);
}


function slides(args, env) {
  return exec(process.execPath, [BIN, ...args], { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env });
}

export async function bench() {
  const home = await mkdtemp(join(tmpdir(), 'slides-bench-beats-'));
  try {
    const samples = song();
    const wav = join(home, 'song.wav');
    await writeWav(wav, samples);
    const mono = await decodeMono(wav);
    let tempo;
    let cpu = Infinity;
    const analysis = await fastest(RUNS, async () => {
      const before = process.cpuUsage();
      tempo = analyseBeats(mono, ANALYSIS_SAMPLE_RATE).tempo;
      const used = process.cpuUsage(before);
      cpu = Math.min(cpu, (used.user + used.system) / 1000);
    });
    const withDecode = await fastest(RUNS, () => analyseSong(wav));

    const env = { SLIDES_HOME: home, SLIDES_TIMEZONE: 'UTC', SLIDES_NOW: '2025-06-10T08:00:00.000Z' };
    const photos = join(home, 'photos');
    await mkdir(photos);
    for (let i = 0; i < SLIDES; i++) await sharp(photoSvg(i)).jpeg({ quality: 85 }).toFile(join(photos, `photo-${i}.jpg`));
    await slides(['upload', photos], env);
    await slides(['session', 'new', '--all', '--yes', '--frequency', '1'], env);
    const preview = [BIN, 'preview-beats', wav, '--slides', String(SLIDES), '--json'];
    const plan = JSON.parse((await promisify(execFile)(process.execPath, preview, { env: { ...process.env, ...env } })).stdout);
    const hold = (plan.end + (SLIDES - 1) * FADE) / SLIDES;
    const render = ['render', '--force', '--no-upload', '--audio', wav];
    let even = Infinity;
    let beats = Infinity;
    for (let r = 0; r < RENDER_RUNS; r++) {
      even = Math.min(even, await fastest(1, () => slides([...render, '--slide-duration', hold.toFixed(3)], env)));
      beats = Math.min(beats, await fastest(1, () => slides([...render, '--beats'], env)));
    }
    return [
      { metric: `beat analysis of a ${SONG_SECONDS} s song (${BPM} BPM, found ${tempo?.toFixed(1)})`, value: analysis, unit: 'ms', goal: '< 500 ms' },
      { metric: 'its CPU time (what a loaded machine does not stretch)', value: cpu, unit: 'ms', goal: '< 500 ms' },
      { metric: 'the same with the ffmpeg decode (what render --beats adds)', value: withDecode, unit: 'ms' },
      { metric: `render ${SLIDES} photos 1080x1920 with --beats`, value: beats, unit: 'ms', baseline: even, ratio: beats / even, goal: 1.05 },
      { metric: `render ${SLIDES} photos with even ${hold.toFixed(2)} s holds (the same ${plan.end.toFixed(1)} s of video)`, value: even, unit: 'ms' },
    ];
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
