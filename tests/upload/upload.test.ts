import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runUpload } from '../../src/commands/upload.js';
import type { Backend } from '../../src/db/backend.js';
import type { SourceFile } from '../../src/db/types.js';
import { PartialFailure } from '../../src/errors.js';
import { uploadFolder } from '../../src/services/upload/uploadFolder.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { clip, photo, wrapStore } from './fixtures.js';

let t: TestDatabase;
let user: Backend;
let dir: string;

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
  dir = mkdtempSync(join(tmpdir(), 'slides-upload-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A file's name as the summary shows it: the folder given, then the path inside. */
const named = (file: string) => join(basename(dir), file);

/** Five photos and a clip: the folder most tests upload. */
async function folder(): Promise<number> {
  for (let i = 0; i < 5; i++) await photo(dir, `photo-${i}.jpg`, i);
  await clip(dir, 'clip.mp4');
  return 6;
}

async function upload(backend: Backend, o: { paths?: string[]; concurrency?: number; dryRun?: boolean; json?: boolean } = {}) {
  const { ctx, output } = testContext({ backend, io: { json: o.json ?? false } });
  const result = await runUpload({ paths: o.paths ?? [dir], concurrency: o.concurrency ?? 4, dryRun: o.dryRun }, ctx).then(
    (summary) => ({ summary, error: undefined }),
    (error: unknown) => ({ summary: undefined, error }),
  );
  return { ...result, output };
}

/** The backend with `seen` called on each insert into source_files first (it may throw, refusing it). */
function onSourceInsert(backend: Backend, seen: (rows: Partial<SourceFile>[]) => void): Backend {
  const insert = (async (table, rows, options) => {
    if (table === 'source_files') seen(rows as Partial<SourceFile>[]);
    return backend.rows.insert(table, rows, options);
  }) as Backend['rows']['insert'];
  return { ...backend, rows: { ...backend.rows, insert } };
}

async function stored(backend: Backend) {
  const rows = await backend.rows.select('source_files');
  const objects = await backend.storage.list('Sources', `${backend.identity.userId}/`);
  return { rows, objects, keys: objects.map((o) => o.key).sort(), paths: rows.map((r) => r.file_path).sort() };
}

describe('slides upload', () => {
  it('uploads each photo and clip once, with its row; a second run sends 0 bytes and inserts nothing', async () => {
    const n = await folder();
    const first = wrapStore(user);
    const run1 = await upload(first.backend);
    expect(run1.error).toBeUndefined();
    expect(run1.summary?.uploaded).toHaveLength(n);
    expect(first.calls.uploads).toBe(n);
    expect(run1.output.stdout).toMatch(/^Uploaded 6 files \(.* sent\) · 0 already there · 0 skipped · 0 failed/);

    const after1 = await stored(user);
    expect(after1.rows).toHaveLength(n);
    expect(after1.keys).toEqual(after1.paths);

    const second = wrapStore(user);
    const run2 = await upload(second.backend);
    expect(run2.error).toBeUndefined();
    expect(second.calls.uploads).toBe(0);
    expect(second.calls.bytes).toBe(0);
    expect(run2.summary?.uploaded).toEqual([]);
    expect(run2.summary?.existing).toHaveLength(n);
    expect(run2.summary?.bytesSent).toBe(0);
    const after2 = await stored(user);
    expect(after2.rows.map((r) => r.id).sort()).toEqual(after1.rows.map((r) => r.id).sort());
    expect(after2.keys).toEqual(after1.keys);
  });

  it('writes the key, type, hash, name, size, dimensions, duration and content type', async () => {
    const jpeg = await photo(dir, 'sideways.jpg', 1, { width: 80, height: 40, orientation: 6 });
    const mp4 = await clip(dir, 'clip.mp4', 2);
    const { summary } = await upload(user);
    const uid = user.identity.userId;
    const rows = await user.rows.select('source_files', { order: [{ column: 'original_name' }] });
    const { createHash } = await import('node:crypto');
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(rows).toMatchObject([
      {
        original_name: 'clip.mp4',
        file_type: 'video',
        file_path: `${uid}/${sha(mp4)}.mp4`,
        sha256: sha(mp4),
        mime_type: 'video/mp4',
        width: 320,
        height: 240,
        size_bytes: readFileSync(mp4).byteLength,
        user_id: uid,
      },
      {
        original_name: 'sideways.jpg',
        file_type: 'image',
        file_path: `${uid}/${sha(jpeg)}.jpg`,
        mime_type: 'image/jpeg',
        // EXIF orientation 6 turns the stored 80×40 upright to 40×80.
        width: 40,
        height: 80,
        duration_seconds: null,
        size_bytes: readFileSync(jpeg).byteLength,
      },
    ]);
    expect(rows[0]?.duration_seconds).toBeCloseTo(2, 1);
    const objects = await user.storage.list('Sources', `${uid}/`);
    expect(objects.map((o) => [o.key, o.contentType]).sort()).toEqual(
      [
        [`${uid}/${sha(mp4)}.mp4`, 'video/mp4'],
        [`${uid}/${sha(jpeg)}.jpg`, 'image/jpeg'],
      ].sort(),
    );
    expect(summary?.uploaded.map((f) => f.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('recognises the same content under another name, in storage or in the same run', async () => {
    await photo(dir, 'beach.jpg', 7);
    await upload(user);
    copyFileSync(join(dir, 'beach.jpg'), join(dir, 'beach copy.jpg'));
    copyFileSync(join(dir, 'beach.jpg'), join(dir, 'plage été.jpg'));
    await photo(dir, 'new.jpg', 8);
    copyFileSync(join(dir, 'new.jpg'), join(dir, 'other new.jpg'));
    const counted = wrapStore(user);
    const { summary, output } = await upload(counted.backend);
    expect(counted.calls.uploads).toBe(1);
    expect(summary?.uploaded.map((f) => f.name)).toEqual([named('new.jpg')]);
    expect(summary?.existing.map((f) => [f.name, f.storedAs])).toEqual(
      expect.arrayContaining([
        [named('beach copy.jpg'), 'beach.jpg'],
        [named('plage été.jpg'), 'beach.jpg'],
        [named('other new.jpg'), 'new.jpg'],
      ]),
    );
    expect(output.stdout).toContain(`  same     ${named('beach copy.jpg')}: already there as beach.jpg`);
    expect(output.stdout).toContain(`  same     ${named('plage été.jpg')}: already there as beach.jpg`);
    expect(output.stdout).toContain(`  same     ${named('other new.jpg')}: already there as new.jpg`);
    expect(await user.rows.select('source_files')).toHaveLength(2);
  });

  it('a network failure after 2 uploads exits 4, keeps what landed, and a re-run finishes with N rows and N objects', async () => {
    const n = await folder();
    const failing = wrapStore(user, { failAfter: 2 });
    const run1 = await upload(failing.backend, { concurrency: 1 });
    expect(run1.error).toBeInstanceOf(PartialFailure);
    expect(run1.summary).toBeUndefined();
    expect(run1.output.stdout).toMatch(/Uploaded 2 files .* 4 failed/);
    expect(run1.output.stdout).toContain(`failed   ${named('photo-4.jpg')}: network down (injected)`);
    const partial = await stored(user);
    expect(partial.rows).toHaveLength(2);
    expect(partial.keys).toEqual(partial.paths);

    const again = wrapStore(user);
    const run2 = await upload(again.backend);
    expect(run2.error).toBeUndefined();
    expect(again.calls.uploads).toBe(n - 2);
    const done = await stored(user);
    expect(done.rows).toHaveLength(n);
    expect(done.objects).toHaveLength(n);
    expect(done.keys).toEqual(done.paths);
  });

  it('an object stored without its row (killed in between) is adopted by the next run without sending it again', async () => {
    const n = await folder();
    let crashes = 0;
    const crashing = wrapStore(user, { crashAfterWrite: () => crashes++ < 3 });
    const run1 = await upload(crashing.backend);
    expect(run1.error).toBeInstanceOf(PartialFailure);
    const orphaned = await stored(user);
    expect(orphaned.objects).toHaveLength(n);
    expect(orphaned.rows).toHaveLength(n - 3);

    const again = wrapStore(user);
    const run2 = await upload(again.backend, { json: true });
    expect(run2.error).toBeUndefined();
    const doc = JSON.parse(run2.output.stdout) as { bytesSent: number; uploaded: { adopted: boolean }[]; counts: Record<string, number> };
    expect(doc.counts).toEqual({ uploaded: 3, existing: n - 3, skipped: 0, failed: 0 });
    expect(doc.uploaded.every((f) => f.adopted)).toBe(true);
    expect(doc.bytesSent).toBe(0);
    const done = await stored(user);
    expect(done.rows).toHaveLength(n);
    expect(done.keys).toEqual(done.paths);
  });

  it('writes the rows of many files in one insert; a row its insert refuses fails only its file, whose object the re-run adopts', async () => {
    const n = await folder();
    const inserts: number[] = [];
    const refusing = onSourceInsert(user, (rows) => {
      inserts.push(rows.length);
      if (rows.some((r) => r.original_name === 'photo-2.jpg')) throw new Error('row refused (injected)');
    });
    const run1 = await upload(refusing);
    expect(run1.error).toBeInstanceOf(PartialFailure);
    // The batch of all six, then each row on its own.
    expect(inserts).toEqual([n, 1, 1, 1, 1, 1, 1]);
    expect(run1.output.stdout).toContain('photo-2.jpg');
    const after1 = await stored(user);
    expect(after1.rows.map((r) => r.original_name).sort()).toEqual(['clip.mp4', 'photo-0.jpg', 'photo-1.jpg', 'photo-3.jpg', 'photo-4.jpg']);
    expect(after1.objects).toHaveLength(n);

    const run2 = await upload(user, { json: true });
    const doc = JSON.parse(run2.output.stdout) as { uploaded: { name: string; adopted: boolean }[]; counts: Record<string, number> };
    expect(doc.counts).toEqual({ uploaded: 1, existing: n - 1, skipped: 0, failed: 0 });
    expect(doc.uploaded).toEqual([expect.objectContaining({ name: named('photo-2.jpg'), adopted: true })]);
    expect((await stored(user)).rows).toHaveLength(n);
  });

  it('reads and lands 50 files at a time: one insert a batch, a copy in a later batch uploaded once, progress checking then uploading', async () => {
    for (let i = 0; i < 120; i++) await photo(dir, `p${String(i).padStart(3, '0')}.jpg`, i);
    copyFileSync(join(dir, 'p003.jpg'), join(dir, 'p110 copy.jpg'));
    const inserts: number[] = [];
    const counting = onSourceInsert(user, (rows) => void inserts.push(rows.length));
    const phases: string[] = [];
    const summary = await uploadFolder(counting, {
      paths: [dir],
      recursive: false,
      concurrency: 4,
      dryRun: false,
      onProgress: (p) => phases.at(-1) !== p.phase && phases.push(p.phase),
    });
    expect(summary.uploaded).toHaveLength(120);
    expect(summary.existing).toEqual([{ name: named('p110 copy.jpg'), id: expect.any(String), storedAs: 'p003.jpg' }]);
    expect(inserts).toEqual([50, 50, 20]);
    expect(phases).toEqual(['checking', 'uploading']);
    expect((await stored(user)).rows).toHaveLength(120);
    expect(readdirSync(join(t.storageDir, '.incoming'))).toEqual([]);
  });

  it('a batch that cannot land stops the reading, keeps the batches before it, and leaves no staged copy', async () => {
    for (let i = 0; i < 160; i++) await photo(dir, `p${String(i).padStart(3, '0')}.jpg`, i);
    let lookups = 0;
    let checked = 0;
    const failing: Backend = {
      ...user,
      rows: {
        ...user.rows,
        select: (async (table, query) => {
          if (table === 'source_files' && ++lookups === 2) throw new Error('database gone (injected)');
          return user.rows.select(table, query);
        }) as Backend['rows']['select'],
      },
    };
    const run = uploadFolder(failing, {
      paths: [dir],
      recursive: false,
      concurrency: 4,
      dryRun: false,
      onProgress: (p) => void (p.phase === 'checking' && (checked = p.filesDone)),
    });
    await expect(run).rejects.toThrow('database gone (injected)');
    expect(checked).toBeLessThan(160);
    expect((await stored(user)).rows.map((r) => r.original_name)).toEqual(Array.from({ length: 50 }, (_, i) => `p${String(i).padStart(3, '0')}.jpg`));
    expect(readdirSync(join(t.storageDir, '.incoming'))).toEqual([]);
  });

  it('an object cut short under its key is replaced, not adopted', async () => {
    const path = await photo(dir, 'p.jpg', 3);
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    const key = `${user.identity.userId}/${sha}.jpg`;
    await user.storage.upload('Sources', key, { data: new Uint8Array(10) }, { contentType: 'image/jpeg' });
    const { summary } = await upload(user);
    expect(summary?.uploaded).toMatchObject([{ name: named('p.jpg'), adopted: false }]);
    expect(summary?.bytesSent).toBe(readFileSync(path).byteLength);
    const [object] = await user.storage.list('Sources', key);
    expect(object?.size).toBe(readFileSync(path).byteLength);
  });

  it('keeps at most --concurrency uploads in flight', async () => {
    for (let i = 0; i < 12; i++) await photo(dir, `p${i}.jpg`, i);
    const counted = wrapStore(user);
    await upload(counted.backend, { concurrency: 2 });
    expect(counted.calls.uploads).toBe(12);
    expect(counted.calls.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('--dry-run says what would be uploaded and uploads nothing', async () => {
    await photo(dir, 'a.jpg', 1);
    await clip(dir, 'b.mp4');
    const counted = wrapStore(user);
    const { summary, output } = await upload(counted.backend, { dryRun: true });
    expect(counted.calls.uploads).toBe(0);
    expect(await user.rows.select('source_files')).toEqual([]);
    expect(summary?.uploaded.map((f) => [f.name, f.id])).toEqual([
      [named('a.jpg'), null],
      [named('b.mp4'), null],
    ]);
    expect(output.stdout).toMatch(/^Would upload 2 files/);
    expect(output.stdout).toContain(`  new      ${named('a.jpg')} (image/jpeg,`);
    expect(output.stdout).toContain(`  new      ${named('b.mp4')} (video/mp4,`);
  });

  it('draws progress (files, bytes, rate) on a terminal, and none with --quiet', async () => {
    await photo(dir, 'a.jpg', 1);
    await photo(dir, 'b.jpg', 2);
    for (const quiet of [false, true]) {
      const texts: string[] = [];
      const spinner = (text: string) => {
        texts.push(text);
        return { update: (next: string) => void texts.push(next), succeed() {}, fail() {}, stop() {} };
      };
      const fresh = await t.user();
      const { ctx } = testContext({ backend: fresh, io: { isTTY: true, quiet, spinner } });
      await runUpload({ paths: [dir], concurrency: 1 }, ctx);
      if (quiet) expect(texts).toEqual([]);
      else {
        expect(texts[0]).toBe('Looking for photos and clips…');
        expect(texts.some((x) => /^Checking 2\/2 files · [\d.]+ K?B of [\d.]+ K?B/.test(x))).toBe(true);
        expect(texts.at(-1)).toMatch(/^Uploading 2\/2 files · [\d.]+ K?B of [\d.]+ K?B · [\d.]+ [KMG]?B\/s · ETA 0s$/);
      }
    }
  });

  it('--json prints one JSON document and nothing else on stdout', async () => {
    await photo(dir, 'a.jpg', 1);
    writeFileSync(join(dir, 'notes.jpg'), 'not a photo\n');
    const { output } = await upload(user, { json: true });
    const doc = JSON.parse(output.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      dryRun: false,
      counts: { uploaded: 1, existing: 0, skipped: 1, failed: 0 },
      uploaded: [{ name: named('a.jpg'), type: 'image', mime: 'image/jpeg', adopted: false }],
      skipped: [{ name: named('notes.jpg') }],
      failed: [],
    });
  });
});
