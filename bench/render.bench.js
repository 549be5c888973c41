// Peak RSS of a 100-slide group rendered through the real CLI on the local backend, pushed to
// Exports: once with --no-video (node with PGlite, its render worker with sharp), once with the
// video (1 s per slide). The peak is the largest process of the tree, as wait4 reports it.
// Sources: 100 generated 1200x1600 photo-like JPEGs with a caption each, the same every run; then
// 100 phone-sized ones (12 MP, 4032x3024, half turned by their EXIF orientation as a phone held
// upright writes them), whose decoding is what fills a render's memory.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { uniqueJpeg } from './lib.js';

const BIN = fileURLToPath(new URL('../bin/slides.js', import.meta.url));
const QUICK = Boolean(process.env.BENCH_QUICK);
const SLIDES = QUICK ? 20 : 100;

function photoSvg(i) {
  const hue = (i * 37) % 360;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1600">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,30%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,65%)"/></linearGradient></defs>
<rect width="1200" height="1600" fill="url(#g)"/><circle cx="${300 + (i % 10) * 60}" cy="700" r="240" fill="hsl(${(hue + 180) % 360},80%,60%)"/>
<path d="M0 1040 L360 760 L680 1000 L960 800 L1200 960 L1200 1600 L0 1600 Z" fill="hsl(${hue},30%,20%)"/></svg>`);
}

/** Runs the CLI under GNU time: wall ms and the peak RSS (kB) wait4 reports for it. */
function slides(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`slides ${args.join(' ')} exited ${code}: ${stderr.slice(-800)}`));
      resolve({ ms, rssMb: Number(stderr.trim().split('\n').at(-1)) / 1024 });
    });
  });
}

/** 12-MP noisy JPEGs (~4.5 MB, as a phone's are), five looks each made unique per file. */
async function phonePhotos(dir) {
  const looks = [];
  for (let b = 0; b < 5; b++) {
    const noise = { type: 'gaussian', mean: 90 + b * 20, sigma: 50 };
    looks.push(
      await sharp({ create: { width: 1008, height: 756, channels: 3, background: '#000', noise } })
        .resize(4032, 3024)
        .jpeg({ quality: 90 })
        .withMetadata({ orientation: b % 2 ? 6 : 1 })
        .toBuffer(),
    );
  }
  for (let i = 0; i < SLIDES; i++) {
    await writeFile(join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`), uniqueJpeg(looks[i % looks.length], `phone photo ${i}`));
  }
}

/** A fresh SLIDES_HOME at `home` holding the photos `fill` writes, uploaded, in a session of one group of them all. */
async function sessionOf(home, fill) {
  const env = { SLIDES_HOME: home, SLIDES_TIMEZONE: 'UTC', SLIDES_NOW: '2025-06-10T08:00:00.000Z' };
  const photos = join(home, 'photos');
  await mkdir(photos, { recursive: true });
  await fill(photos);
  await slides(['upload', photos], env);
  await slides(
    ['session', 'new', '--all', '--yes', '--frequency', '2', '--per-group', String(SLIDES), '--caption-template', 'Day {n} of {total} in Lisbon ✨ pastéis de nata and trams'],
    env,
  );
  return env;
}

export async function bench() {
  const root = await mkdtemp(join(tmpdir(), 'slides-bench-render-'));
  try {
    const env = await sessionOf(join(root, 'drawn'), async (photos) => {
      for (let i = 0; i < SLIDES; i++) {
        await sharp(photoSvg(i)).jpeg({ quality: 85 }).toFile(join(photos, `photo-${String(i).padStart(3, '0')}.jpg`));
      }
    });
    const still = await slides(['render', '--no-video'], env);
    const video = await slides(['render', '--slide-duration', '1'], env);
    const phone = await slides(['render', '--no-video'], await sessionOf(join(root, 'phone'), phonePhotos));
    return [
      { metric: `render ${SLIDES} slides, --no-video, peak RSS (largest process: node or its render worker)`, value: still.rssMb, unit: 'MB', goal: '< 300 MB' },
      // 138 ms: the figure before the render worker and parts (README, 2 cores, lighter load).
      { metric: `render ${SLIDES} slides, --no-video, wall time per slide`, value: still.ms / SLIDES, unit: 'ms', goal: '≤ 138 ms' },
      { metric: `render ${SLIDES} slides + ${SLIDES} s video, peak RSS (largest of node, worker, ffmpeg)`, value: video.rssMb, unit: 'MB', goal: '< 500 MB' },
      { metric: `render ${SLIDES} slides + ${SLIDES} s video, wall time`, value: video.ms / 1000, unit: 's' },
      { metric: `render ${SLIDES} 12-MP phone photos, --no-video, peak RSS (largest process)`, value: phone.rssMb, unit: 'MB', goal: '< 300 MB' },
      { metric: `render ${SLIDES} 12-MP phone photos, --no-video, wall time per slide`, value: phone.ms / SLIDES, unit: 'ms' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
