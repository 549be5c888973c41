// Peak RSS of a 100-slide group rendered through the real CLI on the local backend, pushed to
// Exports: once with --no-video (node with PGlite, its render worker with sharp), once with the
// video (1 s per slide). The peak is the largest process of the tree, as wait4 reports it.
// Sources: 100 generated 1200x1600 photo-like JPEGs with a caption each, the same every run.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

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

export async function bench() {
  const home = await mkdtemp(join(tmpdir(), 'slides-bench-render-'));
  try {
    const env = { SLIDES_HOME: home, SLIDES_TIMEZONE: 'UTC', SLIDES_NOW: '2025-06-10T08:00:00.000Z' };
    const photos = join(home, 'photos');
    await mkdir(photos);
    for (let i = 0; i < SLIDES; i++) {
      await sharp(photoSvg(i)).jpeg({ quality: 85 }).toFile(join(photos, `photo-${String(i).padStart(3, '0')}.jpg`));
    }
    await slides(['upload', photos], env);
    await slides(
      ['session', 'new', '--all', '--yes', '--frequency', '2', '--per-group', String(SLIDES), '--caption-template', 'Day {n} of {total} in Lisbon ✨ pastéis de nata and trams'],
      env,
    );
    const still = await slides(['render', '--no-video'], env);
    const video = await slides(['render', '--slide-duration', '1'], env);
    return [
      { metric: `render ${SLIDES} slides, --no-video, peak RSS (largest process: node or its render worker)`, value: still.rssMb, unit: 'MB', goal: '< 300 MB' },
      // 138 ms: the figure before the render worker and parts (README, 2 cores, lighter load).
      { metric: `render ${SLIDES} slides, --no-video, wall time per slide`, value: still.ms / SLIDES, unit: 'ms', goal: '≤ 138 ms' },
      { metric: `render ${SLIDES} slides + ${SLIDES} s video, peak RSS (largest of node, worker, ffmpeg)`, value: video.rssMb, unit: 'MB', goal: '< 500 MB' },
      { metric: `render ${SLIDES} slides + ${SLIDES} s video, wall time`, value: video.ms / 1000, unit: 's' },
    ];
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
