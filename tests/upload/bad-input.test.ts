import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runUpload } from '../../src/commands/upload.js';
import type { Backend } from '../../src/db/backend.js';
import { EXIT, exitCodeOf } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { clip, mp3, photo } from './fixtures.js';

let t: TestDatabase;
let user: Backend;
let dir: string;

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
  dir = mkdtempSync(join(tmpdir(), 'slides-bad-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const named = (file: string) => join(basename(dir), file);
const isRoot = process.getuid?.() === 0;

async function upload(paths: string[]) {
  const { ctx, output } = testContext({ backend: user });
  const error = await runUpload({ paths, concurrency: 4 }, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, code: error === undefined ? EXIT.ok : exitCodeOf(error), output };
}

/** A JPEG with real entropy-coded data (noise), so cutting it in half leaves a valid header. */
async function truncatedJpeg(name: string): Promise<void> {
  const noise = Buffer.alloc(200 * 150 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  const jpeg = await sharp(noise, { raw: { width: 200, height: 150, channels: 3 } }).jpeg().toBuffer();
  writeFileSync(join(dir, name), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
}

/** The first bytes of an iPhone photo: an ISO BMFF `ftyp` box of brand heic. */
function heicHeader(name: string): void {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4);
  ftyp.write('mif1heic', 16);
  writeFileSync(join(dir, name), Buffer.concat([ftyp, Buffer.alloc(256)]));
}

describe('slides upload with bad input beside good files', () => {
  it('skips each bad file with one clear line and still uploads the good ones', async () => {
    await photo(dir, 'good.jpg', 1);
    await photo(dir, 'été 🌅 à Lisbonne.jpg', 2);
    await clip(dir, 'good clip.mp4');
    await photo(dir, 'really a png.jpg', 3, { format: 'png' });
    await photo(dir, '.hidden.jpg', 4);
    writeFileSync(join(dir, 'empty.jpg'), '');
    writeFileSync(join(dir, 'notes.jpg'), 'shopping list: bread, milk\n');
    await truncatedJpeg('cut short.jpg');
    const whole = readFileSync(await clip(dir, 'whole.mp4'));
    writeFileSync(join(dir, 'broken.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
    rmSync(join(dir, 'whole.mp4'));
    await mp3(dir, 'song.mp3');
    writeFileSync(join(dir, 'doc.pdf'), '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    heicHeader('IMG_0001.HEIC');

    const { code, output } = await upload([dir]);
    expect(code, output.stderr).toBe(EXIT.ok);
    const lines = output.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Uploaded 4 files .* · 0 already there · 7 skipped · 0 failed$/);
    const supported = 'supported photos: JPEG, PNG, WebP, GIF, TIFF, AVIF; clips: MP4, MOV, M4V, WebM, MKV';
    expect(lines.slice(1)).toEqual([
      // ffprobe's last words depend on its version.
      expect.stringMatching(
        new RegExp(`^  skipped  ${named('broken.mp4')}: not a readable MP4 clip \\((moov atom not found|Invalid data found when processing input)\\); check it plays`),
      ),
      expect.stringMatching(new RegExp(`^  skipped  ${named('cut short.jpg')}: not a readable JPEG image \\(.*premature end of JPEG image.*\\); check it opens`)),
      `  skipped  ${named('doc.pdf')}: PDF (application/pdf) is not supported (${supported})`,
      `  skipped  ${named('empty.jpg')}: empty file (0 bytes)`,
      `  skipped  ${named('IMG_0001.HEIC')}: HEIC photos cannot be decoded here (the bundled image library has no HEVC decoder); export it as JPEG (iPhone: Settings › Camera › Formats › Most Compatible)`,
      `  skipped  ${named('notes.jpg')}: named .jpg but its content is not JPEG (${supported})`,
      `  skipped  ${named('song.mp3')}: MP3 (audio/mpeg) is not supported (${supported})`,
    ]);

    const rows = await user.rows.select('source_files', { order: [{ column: 'original_name' }] });
    expect(rows.map((r) => [r.original_name, r.mime_type, r.file_path.split('.').pop()])).toEqual([
      ['good clip.mp4', 'video/mp4', 'mp4'],
      ['good.jpg', 'image/jpeg', 'jpg'],
      ['really a png.jpg', 'image/png', 'png'],
      ['été 🌅 à Lisbonne.jpg', 'image/jpeg', 'jpg'],
    ]);
  });

  it('a path that does not exist is named and fails the run (exit 4) while the folder beside it lands', async () => {
    await photo(dir, 'good.jpg', 1);
    const { code, error, output } = await upload([dir, join(dir, 'nope')]);
    expect(code).toBe(EXIT.partial);
    expect(String(error)).toMatch(/1 file failed; the others are uploaded/);
    expect(output.stdout).toContain(`  failed   ${join(dir, 'nope')}: no such file or directory`);
    expect(await user.rows.select('source_files')).toHaveLength(1);
  });

  it('only paths that do not exist: a usage error (exit 2) naming one and counting the rest', async () => {
    const { code, error } = await upload([join(dir, 'nope'), join(dir, 'nada')]);
    expect(code).toBe(EXIT.usage);
    expect(String(error)).toContain(`${join(dir, 'nada')}: no such file or directory (and 1 more paths)`);
  });

  it('an unreadable file is named and the good file beside it lands', async () => {
    await photo(dir, 'good.jpg', 1);
    const locked = join(dir, 'locked.jpg');
    if (isRoot) {
      // root reads through chmod 000, so a named pipe stands in for a file that cannot be read:
      // opening one for reading would block forever, and the scan must not even try.
      execFileSync('mkfifo', [locked]);
    } else {
      await photo(dir, 'locked.jpg', 2);
      chmodSync(locked, 0o000);
    }
    const { code, output } = await upload([dir]);
    expect(await user.rows.select('source_files')).toHaveLength(1);
    if (isRoot) {
      expect(code).toBe(EXIT.ok);
      expect(output.stdout).toContain(`  skipped  ${named('locked.jpg')}: not a regular file (a named pipe)`);
    } else {
      expect(code).toBe(EXIT.partial);
      expect(output.stdout).toContain(`  failed   ${named('locked.jpg')}: cannot read it: permission denied`);
    }
  });
});

describe('uploadFolder when a file cannot be read after the scan', () => {
  it('a file gone between the scan and its reading is a failure (not a skip) and the others land', async () => {
    const { uploadFolder } = await import('../../src/services/upload/uploadFolder.js');
    await photo(dir, 'a.jpg', 1);
    await photo(dir, 'b.jpg', 2);
    // Works the same as root, where chmod 000 cannot make a file unreadable: the first progress
    // event comes after the scan and before any file is opened.
    let removed = false;
    const summary = await uploadFolder(user, {
      paths: [dir],
      recursive: false,
      concurrency: 1,
      dryRun: false,
      onProgress: () => {
        if (!removed) rmSync(join(dir, 'b.jpg'));
        removed = true;
      },
    });
    expect(summary.uploaded.map((f) => f.name)).toEqual([named('a.jpg')]);
    expect(summary.failed).toEqual([{ name: named('b.jpg'), reason: 'cannot read it: no such file or directory' }]);
  });
});
