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

export async function bench() {
  const root = await mkdtemp(join(tmpdir(), 'slides-upload-bench-'));
  const dir = join(root, 'photos');
  await mkdir(dir);
  const db = await openPglite({ dataDir: join(root, 'db') });
  try {
    await migrate(db);
    const userId = await ensureLocalUser(db);
    const backend = localBackend({ db, userId, email: null, storageDir: join(root, 'storage') });
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
    const cacheFile = join(root, 'cache', 'upload-content.json');
    const upload = async () =>
      uploadFolder(backend, { paths: [dir], recursive: false, concurrency: CONCURRENCY, dryRun: false, cache: await openContentCache(cacheFile) });

    const first = await timed(upload);
    if (first.value.uploaded.length !== FIRST) throw new Error(`uploaded ${first.value.uploaded.length} of ${FIRST}`);
    const mb = first.value.bytesSent / 1e6;
    await mkdir(join(root, 'copy'));
    const copy = await timed(() =>
      Promise.all(Array.from({ length: FIRST }, (_, i) => {
        const name = `photo-${String(i).padStart(3, '0')}.jpg`;
        return copyFile(join(dir, name), join(root, 'copy', name));
      })),
    );

    await photos(dir, FIRST, TOTAL, bases);
    await upload();
    const noop = await timed(upload);
    if (noop.value.uploaded.length !== 0 || noop.value.existing.length !== TOTAL) throw new Error('the re-run was not a no-op');

    return [
      { metric: `upload ${FIRST} photos (~0.9 MB, concurrency ${CONCURRENCY})`, value: FIRST / (first.ms / 1000), unit: 'files/s' },
      { metric: `upload ${FIRST} photos, throughput vs a bare file copy`, value: mb / (first.ms / 1000), unit: 'MB/s', baseline: mb / (copy.ms / 1000), ratio: copy.ms / first.ms, goal: '≥ 0.3' },
      { metric: `no-op re-run over ${TOTAL} photos`, value: noop.ms / 1000, unit: 's', goal: '< 1 s' },
    ];
  } finally {
    await db.close();
    await rm(root, { recursive: true, force: true });
  }
}
