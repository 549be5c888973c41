// Cold start of the built CLI, each run a fresh node process: `slides --help`, `slides --version`,
// and `slides files list` on the local backend (PGlite reopened from disk, 20 files listed), beside
// a bare `node -e 0`. Median wall time of RUNS runs, and the largest peak RSS seen.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const BIN = fileURLToPath(new URL('../bin/slides.js', import.meta.url));
const QUICK = Boolean(process.env.BENCH_QUICK);
const RUNS = QUICK ? 5 : 15;
const DB_RUNS = QUICK ? 3 : 7;
const FILES = 20;

/** Wall time and peak RSS (kB) of one child, from /usr/bin/time's %M when it exists. */
function once(args, env) {
  return new Promise((resolve, reject) => {
    const timed = ['-f', '%M', process.execPath, ...args];
    const started = performance.now();
    const child = spawn('/usr/bin/time', timed, { env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
      resolve({ ms, rssKb: Number(stderr.trim().split('\n').at(-1)) });
    });
  });
}

async function median(args, env, runs) {
  const times = [];
  let rssKb = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once(args, env);
    times.push(r.ms);
    rssKb = Math.max(rssKb, r.rssKb);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], rssMb: rssKb / 1024 };
}

export async function bench() {
  const home = await mkdtemp(join(tmpdir(), 'slides-bench-cli-'));
  try {
    const env = { SLIDES_HOME: home };
    const photos = join(home, 'photos');
    await mkdir(photos);
    for (let i = 0; i < FILES; i++) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: i * 12, g: 90, b: 200 - i * 5 } } })
        .jpeg()
        .toFile(join(photos, `photo-${String(i).padStart(2, '0')}.jpg`));
    }
    // Creates and migrates the database once; every measured run below reopens it.
    await once([BIN, 'upload', photos], env);

    const node = await median(['-e', '0'], env, RUNS);
    const help = await median([BIN, '--help'], env, RUNS);
    const version = await median([BIN, '--version'], env, RUNS);
    const list = await median([BIN, 'files', 'list'], env, DB_RUNS);
    return [
      { metric: `node -e 0 (median of ${RUNS})`, value: node.ms, unit: 'ms' },
      { metric: `slides --help cold start (median of ${RUNS})`, value: help.ms, unit: 'ms', baseline: node.ms, ratio: help.ms / node.ms, goal: '< 150 ms' },
      { metric: `slides --version cold start (median of ${RUNS})`, value: version.ms, unit: 'ms', baseline: node.ms, ratio: version.ms / node.ms, goal: '< 150 ms' },
      { metric: `slides files list, local backend, ${FILES} files (median of ${DB_RUNS})`, value: list.ms, unit: 'ms', baseline: node.ms, ratio: list.ms / node.ms, goal: '< 450 ms' },
      { metric: 'peak RSS, slides --help', value: help.rssMb, unit: 'MB', baseline: node.rssMb, ratio: help.rssMb / node.rssMb },
      { metric: 'peak RSS, slides files list', value: list.rssMb, unit: 'MB', baseline: node.rssMb, ratio: list.rssMb / node.rssMb, goal: '< 200 MB' },
    ];
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
