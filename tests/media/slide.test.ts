import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningText } from '../../src/cli/settingFlags.js';
import { UsageError } from '../../src/errors.js';
import { PRESET_NAMES, PRESETS, safeZone, type PresetName } from '../../src/media/canvas.js';
import { CAPTION_POSITIONS, CAPTION_STYLES } from '../../src/media/caption/look.js';
import { containPlacement } from '../../src/media/fit.js';
import { renderSlide, renderSlides, type SlideSpec } from '../../src/media/slide.js';
import { quadrants, rgbAt, writeScene } from './slide-inputs.js';

let dir: string;
let scene: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-render-'));
  scene = join(dir, 'scene.jpg');
  await writeScene(scene);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = (over: Partial<SlideSpec> = {}): SlideSpec => ({
  source: scene,
  canvas: PRESETS['9:16'],
  fit: 'cover',
  style: 'outline',
  position: 'center',
  ...over,
});

async function pixels(path: string) {
  return sharp(path).raw().toBuffer({ resolveWithObject: true });
}

describe('contain placement', () => {
  it.each([
    [{ width: 1600, height: 1200 }, '9:16', { left: 0, top: 555, width: 1080, height: 810 }],
    [{ width: 1000, height: 4000 }, '9:16', { left: 300, top: 0, width: 480, height: 1920 }],
    [{ width: 500, height: 500 }, '1:1', { left: 0, top: 0, width: 1080, height: 1080 }],
    [{ width: 3000, height: 2000 }, '4:5', { left: 0, top: 315, width: 1080, height: 720 }],
  ] as const)('%o on %s goes to %o', (image, preset, box) => {
    expect(containPlacement(image, PRESETS[preset])).toEqual(box);
  });
});

describe('slide output', () => {
  it.each(PRESET_NAMES)('a %s slide is a canvas-sized sRGB JPEG', async (preset: PresetName) => {
    for (const fit of ['cover', 'contain'] as const) {
      const out = join(dir, `dims-${preset.replace(':', 'x')}-${fit}.jpg`);
      await renderSlide(spec({ canvas: PRESETS[preset], fit, caption: 'hello' }), out);
      const meta = await sharp(out).metadata();
      expect([meta.format, meta.width, meta.height, meta.space, meta.channels]).toEqual(['jpeg', PRESETS[preset].width, PRESETS[preset].height, 'srgb', 3]);
    }
  });

  it('writes PNG on request', async () => {
    const out = join(dir, 'slide.png');
    await renderSlide(spec({ format: 'png', caption: 'png' }), out);
    expect((await sharp(out).metadata()).format).toBe('png');
  });

  it.each(CAPTION_STYLES.flatMap((style) => CAPTION_POSITIONS.map((position) => [style, position] as const)))(
    'the %s caption at the %s changes pixels inside the safe zone and nowhere else',
    async (style, position) => {
      const bare = join(dir, 'bare.png');
      const captioned = join(dir, `cap-${style}-${position}.png`);
      await renderSlide(spec({ format: 'png' }), bare);
      await renderSlide(spec({ format: 'png', style, position, caption: 'POV: the café everyone talks about ✨🇵🇹 was worth the queue' }), captioned);
      const a = await pixels(bare);
      const b = await pixels(captioned);
      const safe = safeZone(PRESETS['9:16']);
      let changed = 0;
      let outside = 0;
      for (let i = 0; i < a.data.length; i += 3) {
        if (a.data[i] === b.data[i] && a.data[i + 1] === b.data[i + 1] && a.data[i + 2] === b.data[i + 2]) continue;
        changed++;
        const x = (i / 3) % a.info.width;
        const y = Math.floor(i / 3 / a.info.width);
        if (x < safe.left || x >= safe.left + safe.width || y < safe.top || y >= safe.top + safe.height) outside++;
      }
      expect(changed).toBeGreaterThan(10_000);
      expect(outside).toBe(0);
    },
  );

  it('every style looks different from every other', async () => {
    const caption = 'four styles, one caption';
    const renders = await Promise.all(
      CAPTION_STYLES.map(async (style) => {
        const out = join(dir, `style-${style}.png`);
        await renderSlide(spec({ style, caption, format: 'png' }), out);
        return (await pixels(out)).data;
      }),
    );
    const differing = (x: Buffer, y: Buffer) => x.reduce((n, v, i) => n + (v === y[i] ? 0 : 1), 0);
    expect(renders).toHaveLength(4);
    for (const [i, a] of renders.entries()) {
      for (const b of renders.slice(i + 1)) expect(differing(a, b)).toBeGreaterThan(5000);
    }
  });

  it('reports the characters it could not draw as a warning, and still writes the slide', async () => {
    const out = join(dir, 'rtl.jpg');
    const { warnings } = await renderSlide(spec({ caption: 'مرحبا شلום hello 你好 ሰላም' }), out);
    expect(warnings).toEqual([
      { text: 'caption characters no font covers were left out: ሰ ላ ም', fix: { verb: 'give', field: 'font', rest: 'FILE with them' } },
    ]);
    expect(warnings.map(warningText)).toEqual(['caption characters no font covers were left out: ሰ ላ ም (give --font FILE with them)']);
    expect((await sharp(out).metadata()).width).toBe(1080);
  });
});

describe('inputs', () => {
  /** The stored pixels that an EXIF orientation turns back into the upright picture. */
  const stored: Record<number, (s: Sharp) => Promise<Buffer>> = {
    2: (s) => s.flop().png().toBuffer(),
    3: (s) => s.rotate(180).png().toBuffer(),
    4: (s) => s.flip().png().toBuffer(),
    5: async (s) => sharp(await s.rotate(90).png().toBuffer()).flop().png().toBuffer(),
    6: (s) => s.rotate(270).png().toBuffer(),
    7: async (s) => sharp(await s.rotate(270).png().toBuffer()).flop().png().toBuffer(),
    8: (s) => s.rotate(90).png().toBuffer(),
  };

  it.each([2, 3, 4, 5, 6, 7, 8])('an EXIF orientation %i photo comes out upright', async (orientation) => {
    const source = join(dir, `orient-${orientation}.jpg`);
    await sharp(await stored[orientation]!(sharp(await quadrants()))).withMetadata({ orientation }).jpeg({ quality: 95 }).toFile(source);
    const out = join(dir, `orient-${orientation}-out.jpg`);
    await renderSlide(spec({ source, canvas: PRESETS['1:1'], fit: 'contain' }), out);
    // contain puts the 3:2 picture at 0..1080 x 180..900: sample the middle of each quadrant.
    const near = (rgb: number[], want: number[]) => rgb.every((v, i) => Math.abs(v - (want[i] ?? 0)) < 40);
    expect(near(await rgbAt(out, 270, 360), [255, 0, 0])).toBe(true);
    expect(near(await rgbAt(out, 810, 360), [0, 255, 0])).toBe(true);
    expect(near(await rgbAt(out, 270, 720), [0, 0, 255])).toBe(true);
    expect(near(await rgbAt(out, 810, 720), [255, 255, 255])).toBe(true);
  });

  it('a CMYK JPEG comes out sRGB with its colours kept', async () => {
    const source = join(dir, 'cmyk.jpg');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#d02020' } }).toColourspace('cmyk').jpeg().toFile(source);
    expect((await sharp(source).metadata()).space).toBe('cmyk');
    const out = join(dir, 'cmyk-out.jpg');
    await renderSlide(spec({ source, canvas: PRESETS['1:1'] }), out);
    const meta = await sharp(out).metadata();
    expect([meta.space, meta.channels]).toEqual(['srgb', 3]);
    const [r, g, b] = await rgbAt(out, 540, 540);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(90);
    expect(b).toBeLessThan(90);
  });

  it.each([
    ['16-bit greyscale PNG', 'grey16.png', () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } }).toColourspace('grey16').png()],
    ['PNG with alpha', 'alpha.png', () => sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).png()],
    ['WebP', 'photo.webp', () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } }).webp()],
    ['AVIF', 'photo.avif', () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } }).avif()],
    ['TIFF', 'photo.tiff', () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } }).tiff()],
    ['GIF', 'photo.gif', () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } }).gif()],
  ])('a %s becomes a 3-channel sRGB slide', async (_name, file, make) => {
    const source = join(dir, file);
    await make().toFile(source);
    const out = join(dir, `${file}.jpg`);
    await renderSlide(spec({ source, caption: 'ok' }), out);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.space, meta.channels]).toEqual([1080, 1920, 'srgb', 3]);
  });

  it('an animated GIF gives its first frame', async () => {
    const frame = (background: string) => sharp({ create: { width: 60, height: 60, channels: 3, background } }).png().toBuffer();
    const source = join(dir, 'anim.gif');
    await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } }).gif().toFile(source);
    expect((await sharp(source).metadata()).pages).toBe(2);
    const out = join(dir, 'anim-out.jpg');
    await renderSlide(spec({ source, canvas: PRESETS['1:1'] }), out);
    const [r, , b] = await rgbAt(out, 540, 540);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
  });

  it.each([
    ['a missing file', async () => join(dir, 'nope.jpg'), /nope\.jpg: no such file/],
    ['a text file', async () => { const p = join(dir, 'notes.jpg'); await writeFile(p, 'not an image'); return p; }, /notes\.jpg: not an image we can read/],
    ['a truncated JPEG', async () => {
      const p = join(dir, 'cut.jpg');
      const full = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#123456' } }).jpeg().toBuffer();
      await writeFile(p, full.subarray(0, full.length / 2));
      return p;
    }, /cut\.jpg/],
  ])('%s is a usage error naming the file', async (_name, make, message) => {
    const source = await make();
    const error = await renderSlide(spec({ source }), join(dir, 'never.jpg')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('slide groups', () => {
  it('writes slide-01.jpg… in order, a few at a time, prefixing warnings with the file', async () => {
    const out = join(dir, 'group');
    const specs = Array.from({ length: 5 }, (_, i) => spec({ caption: i === 2 ? 'ሰላም' : `slide ${i + 1}`, canvas: PRESETS['4:5'] }));
    const { files, warnings } = await renderSlides(specs, out, { concurrency: 2 });
    expect((await readdir(out)).sort()).toEqual(['slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg', 'slide-04.jpg', 'slide-05.jpg']);
    expect(files[0]).toBe(join(out, 'slide-01.jpg'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toMatch(/^slide-03\.jpg: /);
  });
});
