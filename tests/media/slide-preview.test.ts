import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIO } from '../../src/cli/io.js';
import { runPreview, type PreviewOptions } from '../../src/commands/preview.js';
import { userMessage } from '../../src/cli/settingFlags.js';
import { InvalidSetting, UsageError } from '../../src/errors.js';
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

  it('--align and --caption-size move and size the caption: a large left-aligned one has its ink at the left', async () => {
    const plain = join(dir, 'plain.png');
    await runPreview(options({ out: plain, caption: undefined, style: 'outline' }), testContext().ctx);
    const inkColumns = async (file: string) => {
      const [a, b] = await Promise.all([file, plain].map((f) => sharp(f).raw().toBuffer({ resolveWithObject: true })));
      let left = Infinity;
      let right = -Infinity;
      for (let i = 0; i < a!.data.length; i += 3) {
        if (Math.abs(a!.data[i]! - b!.data[i]!) + Math.abs(a!.data[i + 1]! - b!.data[i + 1]!) > 60) {
          const x = (i / 3) % a!.info.width;
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
      return { left, right };
    };
    const out = (name: string) => join(dir, name);
    await runPreview(options({ out: out('left.png'), style: 'outline', caption: 'day 1', align: 'left', captionSize: 'l' }), testContext().ctx);
    await runPreview(options({ out: out('centre.png'), style: 'outline', caption: 'day 1', captionSize: 'l' }), testContext().ctx);
    await runPreview(options({ out: out('small.png'), style: 'outline', caption: 'day 1', captionSize: '30' }), testContext().ctx);
    const [left, centre, small] = await Promise.all(['left.png', 'centre.png', 'small.png'].map((f) => inkColumns(out(f))));
    expect(left!.left).toBeLessThan(110);
    expect(centre!.left).toBeGreaterThan(300);
    expect(left!.right - left!.left).toBeCloseTo(centre!.right - centre!.left, -1);
    expect(small!.right - small!.left).toBeLessThan((centre!.right - centre!.left) / 2);
  });

  it('refuses a --caption-size it cannot read, naming the flag, before writing anything', async () => {
    const file = join(dir, 'never.jpg');
    const error = await runPreview(options({ out: file, captionSize: 'xl' }), testContext().ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSetting);
    expect(userMessage(error)).toBe('--caption-size xl: not a caption size');
    await expect(sharp(file).metadata()).rejects.toThrow();
  });

  it('refuses an --out that is neither .jpg nor .png', async () => {
    await expect(runPreview(options({ out: join(dir, 'p.webp') }), testContext().ctx)).rejects.toThrow(UsageError);
  });
});
