import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runUpload } from '../../src/commands/upload.js';
import type { Backend } from '../../src/db/backend.js';
import { openContentCache } from '../../src/services/upload/contentCache.js';
import { scanPaths } from '../../src/services/upload/scan.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { photo } from './fixtures.js';

let t: TestDatabase;
let user: Backend;
let dir: string;
let home: string;

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
  dir = mkdtempSync(join(tmpdir(), 'slides-cache-'));
  home = mkdtempSync(join(tmpdir(), 'slides-cache-home-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const HOUR_AGO = new Date(Date.now() - 3_600_000);
const cacheFile = () => join(home, 'cache', 'upload-content.json');

/** Photos as a camera leaves them: written an hour ago. */
async function oldPhotos(count: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = await photo(dir, `photo-${i}.jpg`, i);
    utimesSync(path, HOUR_AGO, HOUR_AGO);
    paths.push(path);
  }
  return paths;
}

/** Other content of the same size: a byte of the last scan changed, the JPEG's end marker kept. */
function flipByteBeforeEnd(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0x01;
  writeFileSync(path, bytes);
}

async function upload() {
  return runUpload({ paths: [dir], concurrency: 4 }, testContext({ backend: user, home }).ctx);
}

describe('the upload content cache', () => {
  it('remembers what an unchanged file holds, and forgets it when the file changes, even to the same size and time', async () => {
    const [first, second] = await oldPhotos(2);
    const a = (await scanPaths([first as string], { recursive: false })).files[0];
    const b = (await scanPaths([second as string], { recursive: false })).files[0];
    if (!a || !b) throw new Error('scan found nothing');
    const cache = await openContentCache(cacheFile());
    const media = { kind: 'image' as const, ext: 'jpg', mime: 'image/jpeg', format: 'JPEG' };
    cache.remember(a, { sha256: 'a'.repeat(64), media }, Date.now());
    cache.remember(b, { sha256: 'b'.repeat(64), media }, Date.now());
    await cache.save();

    // It names the creator's files: readable by them alone.
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
    const reopened = await openContentCache(cacheFile());
    expect(reopened.lookup(a)).toEqual({ sha256: 'a'.repeat(64), media });
    // Past the kernel's coarse clock tick (up to 10 ms), as any real edit after an upload is.
    await new Promise((resolve) => setTimeout(resolve, 20));
    flipByteBeforeEnd(second as string);
    utimesSync(second as string, HOUR_AGO, HOUR_AGO);
    const changed = (await scanPaths([second as string], { recursive: false })).files[0];
    expect(changed?.size).toBe(b.size);
    expect(changed?.stamp.mtimeMs).toBe(b.stamp.mtimeMs);
    expect(reopened.lookup(changed as typeof b)).toBeUndefined();
  });

  it('does not remember a file written within the last 2 s (its next change may keep its stamp)', async () => {
    const path = await photo(dir, 'fresh.jpg', 1);
    const file = (await scanPaths([path], { recursive: false })).files[0];
    if (!file) throw new Error('scan found nothing');
    const cache = await openContentCache(cacheFile());
    cache.remember(file, { sha256: 'c'.repeat(64), media: { kind: 'image', ext: 'jpg', mime: 'image/jpeg', format: 'JPEG' } }, Date.now());
    await cache.save();
    expect((await openContentCache(cacheFile())).lookup(file)).toBeUndefined();
  });

  it('a broken cache file is read as empty and written whole again', async () => {
    await oldPhotos(2);
    await upload();
    writeFileSync(cacheFile(), '{"version":1,"files":{"x": {');
    const again = await upload();
    expect(again.existing).toHaveLength(2);
    expect(Object.keys(JSON.parse(readFileSync(cacheFile(), 'utf8')).files)).toHaveLength(2);
  });

  it('a re-run trusts the cache instead of reading the files, and reads a file that changed', async () => {
    const paths = await oldPhotos(3);
    expect((await upload()).uploaded).toHaveLength(3);

    // Point photo-2's entry at photo-0's content: a run that trusts the cache reports photo-2 as
    // photo-0's copy, which only a run that did not read photo-2 can say.
    const cached = JSON.parse(readFileSync(cacheFile(), 'utf8'));
    cached.files[paths[2] as string].sha256 = cached.files[paths[0] as string].sha256;
    writeFileSync(cacheFile(), JSON.stringify(cached));
    const trusted = await upload();
    expect(trusted.uploaded).toEqual([]);
    expect(trusted.existing.find((e) => e.name.endsWith('photo-2.jpg'))?.storedAs).toBe('photo-0.jpg');

    // New content under the same name, size and modified time: its changed time gives it away.
    const before = statSync(paths[1] as string);
    flipByteBeforeEnd(paths[1] as string);
    utimesSync(paths[1] as string, before.atime, before.mtime);
    expect(statSync(paths[1] as string)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });
    const reread = await upload();
    expect(reread.uploaded.map((u) => basename(u.name))).toEqual(['photo-1.jpg']);
  });
});
