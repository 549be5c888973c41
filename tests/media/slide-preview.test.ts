import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIO } from '../../src/cli/io.js';
import { runPreview, type PreviewOptions } from '../../src/commands/preview.js';
import { UsageError } from '../../src/errors.js';
import { writeScene } from './slide-inputs.js';

function captured() {
  let text = '';
  const stream = new Writable({ write: (chunk, _enc, done) => void ((text += String(chunk)), done()) });
  return { stream, text: () => text };
}

function testContext(json = false) {
  const stdout = captured();
  const stderr = captured();
  const opened: string[] = [];
  const io = createIO({ stdout: stdout.stream, stderr: stderr.stream, isTTY: false, canPrompt: false, color: false, json, quiet: false, verbose: false });
  return { ctx: { io, browser: { open: async (url: string) => void opened.push(url) } }, stdout, stderr, opened };
}

let dir: string;
let image: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-preview-'));
  image = join(dir, 'beach.jpg');
  await writeScene(image);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = (over: Partial<PreviewOptions>): PreviewOptions => ({
  image,
  caption: 'day 1 ✨',
  style: 'box',
  preset: '4:5',
  fit: 'contain',
  position: 'bottom',
  out: join(dir, 'preview.jpg'),
  ...over,
});

describe('slides preview', () => {
  it('writes one slide of the preset, prints its path and opens it when asked', async () => {
    const t = testContext();
    const { file } = await runPreview(options({ open: true }), t.ctx);
    expect(t.stdout.text().trim()).toBe(file);
    expect(t.opened).toEqual([file]);
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1080, 1350]);
  });

  it('writes PNG for a .png --out and reports warnings in --json', async () => {
    const t = testContext(true);
    await runPreview(options({ out: join(dir, 'p.png'), caption: 'ሰላም hi' }), t.ctx);
    const doc = JSON.parse(t.stdout.text()) as { file: string; warnings: string[] };
    expect(doc.warnings).toHaveLength(1);
    expect((await sharp(doc.file).metadata()).format).toBe('png');
  });

  it('refuses an --out that is neither .jpg nor .png', async () => {
    await expect(runPreview(options({ out: join(dir, 'p.webp') }), testContext().ctx)).rejects.toThrow(UsageError);
  });
});
