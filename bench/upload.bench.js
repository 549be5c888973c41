// slides upload through the local backend (PGlite + folder bucket): files/s and MB/s for a folder
// of 200 photos beside a bare copy of the same files, then the no-op re-run over 500 photos.
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ensureLocalUser, migrate, openPglite } from '../dist/db/local/database.js';
import { localBackend } from '../dist/db/local/backend.js';
import { openContentCache } from '../dist/services/upload/contentCache.js';
import { uploadFolder } from '../dist/services/upload/uploadFolder.js';
import { uniqueJpeg } from './lib.js';

const FIRST = 200;
const TOTAL = 500;
const BASES = 10;
const CONCURRENCY = 4;
const ROUNDS = 3;

/**
 * 10 camera-sized noisy JPEGs (~0.9 MB), each made unique per file by a JPEG comment segment,
 * and dated an hour ago as a shoot's photos are (the upload cache trusts no file changed in the
 * last 2 s, so freshly written ones would all be read again).
 */
async function photos(dir, from, to, bases) {
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let i = from; i < to; i++) {
    const path = join(dir, `photo-${String(i).padStart(3, '0')}.jpg`);
    await writeFile(path, uniqueJpeg(bases[i % bases.length], `bench photo ${i}`));
    await utimes(path, hourAgo, hourAgo);
  }
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A fresh embedded backend (database, storage folder and upload cache) under `dir`. */
async function freshBackend(dir) {
  await mkdir(dir, { recursive: true });
  const db = await openPglite({ dataDir: join(dir, 'db') });
  await migrate(db);
  const userId = await ensureLocalUser(db);
  const backend = localBackend({ db, userId, email: null, storageDir: join(dir, 'storage') });
  const cacheFile = join(dir, 'cache', 'upload-content.json');
  const upload = async (photosDir) =>
    uploadFolder(backend, { paths: [photosDir], recursive: false, concurrency: CONCURRENCY, dryRun: false, cache: await openContentCache(cacheFile) });
  return { db, upload };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Upload and bare copy take turns, ROUNDS times, each into a fresh place and in alternating
 * order: this machine's page-cache writes run anywhere from ~0.5 to ~2 GB/s from one second to
 * the next (most slowly after a few hundred MB written), and both sides write the same bytes.
 */
export async function bench() {
  const root = await mkdtemp(join(tmpdir(), 'slides-upload-bench-'));
  const dir = join(root, 'photos');
  await mkdir(dir);
  const open = [];
  try {
    const bases = [];
    for (let b = 0; b < BASES; b++) {
      bases.push(
        await sharp({ create: { width: 378, height: 504, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 100 + b * 10, sigma: 40 } } })
          .resize(1512, 2016)
          .jpeg({ quality: 85 })
          .toBuffer(),
      );
    }
    await photos(dir, 0, FIRST, bases);
    const names = Array.from({ length: FIRST }, (_, i) => `photo-${String(i).padStart(3, '0')}.jpg`);
    const uploads = [];
    const copies = [];
    let mb = 0;
    let last;
    for (let round = 0; round < ROUNDS; round++) {
      const place = join(root, `round-${round}`);
      const backend = await freshBackend(place);
      open.push(backend.db);
      const uploadOnce = async () => {
        const { ms, value } = await timed(() => backend.upload(dir));
        if (value.uploaded.length !== FIRST) throw new Error(`uploaded ${value.uploaded.length} of ${FIRST}`);
        mb = value.bytesSent / 1e6;
        uploads.push(ms);
      };
      const copyOnce = async () => {
        await mkdir(join(place, 'copy'));
        copies.push((await timed(() => Promise.all(names.map((name) => copyFile(join(dir, name), join(place, 'copy', name)))))).ms);
      };
      if (round % 2 === 0) {
        await uploadOnce();
        await copyOnce();
      } else {
        await copyOnce();
        await uploadOnce();
      }
      if (round < ROUNDS - 1) {
        await backend.db.close();
        open.pop();
        await rm(place, { recursive: true, force: true });
      } else last = backend;
    }

    await photos(dir, FIRST, TOTAL, bases);
    await last.upload(dir);
    const noop = await timed(() => last.upload(dir));
    if (noop.value.uploaded.length !== 0 || noop.value.existing.length !== TOTAL) throw new Error('the re-run was not a no-op');

    const upload = median(uploads);
    const copy = median(copies);
    return [
      { metric: `upload ${FIRST} photos (~0.9 MB, concurrency ${CONCURRENCY}; median of ${ROUNDS})`, value: FIRST / (upload / 1000), unit: 'files/s' },
      { metric: `upload ${FIRST} photos, throughput vs a bare file copy (medians of ${ROUNDS} turns each)`, value: mb / (upload / 1000), unit: 'MB/s', baseline: mb / (copy / 1000), ratio: copy / upload, goal: '≥ 0.3' },
      { metric: `no-op re-run over ${TOTAL} photos`, value: noop.ms / 1000, unit: 's', goal: '< 1 s' },
    ];
  } finally {
    await Promise.all(open.map((db) => db.close()));
    await rm(root, { recursive: true, force: true });
  }
}
