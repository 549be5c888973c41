import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidSetting } from '../../src/errors.js';
import { PRESETS, safeZone, type Canvas } from '../../src/media/canvas.js';
import { drawCaption, type CaptionOptions } from '../../src/media/caption/caption.js';
import { textArea } from '../../src/media/caption/layout.js';
import { captionColors, captionSizePx, LOOK, parseCaptionSize } from '../../src/media/caption/look.js';
import { renderCaptionOverlay } from '../../src/media/caption/overlay.js';

const canvas = PRESETS['9:16'];
const base: CaptionOptions = { canvas, style: 'outline', position: 'center' };

interface Overlay {
  width: number;
  height: number;
  at(x: number, y: number): [number, number, number, number];
}

async function overlay(text: string, o: Partial<CaptionOptions>): Promise<Overlay> {
  const { png, warnings } = await renderCaptionOverlay(text, { ...base, ...o });
  expect(warnings).toEqual([]);
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (y * info.width + x) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

/** Bands of consecutive rows holding a pixel that `is` picks, top to bottom: one per line of text. */
function bands(img: Overlay, is: (p: [number, number, number, number]) => boolean): { top: number; bottom: number }[] {
  const out: { top: number; bottom: number }[] = [];
  for (let y = 0; y < img.height; y++) {
    let hit = false;
    for (let x = 0; x < img.width && !hit; x++) hit = is(img.at(x, y));
    const last = out.at(-1);
    if (hit && last && last.bottom === y - 1) last.bottom = y;
    else if (hit) out.push({ top: y, bottom: y });
  }
  return out;
}

/** First and last column of row `y` (or of rows top…bottom) holding a pixel that `is` picks. */
function span(img: Overlay, rows: { top: number; bottom: number }, is: (p: [number, number, number, number]) => boolean): { left: number; right: number } {
  let left = Infinity;
  let right = -Infinity;
  for (let y = rows.top; y <= rows.bottom; y++) {
    for (let x = 0; x < img.width; x++) {
      if (is(img.at(x, y))) {
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  return { left, right };
}

const opaque = (p: [number, number, number, number]) => p[3] > 128;
const dark = (p: [number, number, number, number]) => p[3] > 200 && p[0] < 100;
const middle = (b: { top: number; bottom: number }) => {
  const y = Math.round((b.top + b.bottom) / 2);
  return { top: y, bottom: y };
};

describe('the box style: one shape hugging every line', () => {
  it('between two lines, everywhere both lines reach, the pixels are the box colour', async () => {
    const img = await overlay('the longest first line\nshort one', { style: 'box', boxColor: '#ffcc00' });
    // Any touch of the black text on the yellow box, however faint.
    const lines = bands(img, (p) => p[3] > 0 && p[0] < 250);
    expect(lines).toHaveLength(2);
    const [first, second] = lines as [{ top: number; bottom: number }, { top: number; bottom: number }];
    const a = span(img, middle(first), opaque);
    const b = span(img, middle(second), opaque);
    expect(b.right - b.left).toBeLessThan(a.right - a.left - 200);
    const wrong: string[] = [];
    for (let y = first.bottom + 1; y < second.top; y++) {
      for (let x = Math.max(a.left, b.left) + 1; x < Math.min(a.right, b.right); x++) {
        const [r, g, bl, alpha] = img.at(x, y);
        if (alpha < 250 || r < 250 || g < 195 || g > 209 || bl > 8) wrong.push(`${x},${y}: ${r},${g},${bl},${alpha}`);
      }
    }
    expect(second.top - first.bottom).toBeGreaterThan(10);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('the translucent box is one even veil: no line, nor the join between lines, is painted twice', async () => {
    const img = await overlay('the longest first line\nshort one\nand a third again', { style: 'translucent' });
    const veil = Math.round(LOOK.translucentBoxOpacity * 255);
    let boxPixels = 0;
    let denser = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const [r, g, b, alpha] = img.at(x, y);
        if (alpha === 0 || r + g + b > 30) continue;
        boxPixels++;
        // Painted twice, the veil would be 1 - 0.4² ≈ 84% opaque.
        if (alpha > veil + 10) denser++;
      }
    }
    expect(boxPixels).toBeGreaterThan(50_000);
    expect(denser).toBe(0);
  });

  it('translucent is white text on a black veil unless told otherwise', () => {
    expect(captionColors('translucent')).toEqual({ text: '#ffffff', stroke: '#000000', box: '#000000' });
    expect(captionColors('translucent', undefined, 'pink').box).toBe('#ff9ec7');
  });
});

describe('--align', () => {
  const safe = safeZone(canvas);
  const caption = 'day one in Lisbon and\nthe hills are brutal';

  async function inkOfLines(align: 'left' | 'center' | 'right') {
    const img = await overlay(caption, { align, style: 'box' });
    return { lines: bands(img, dark).map((b) => span(img, b, dark)), box: span(img, { top: 0, bottom: img.height - 1 }, opaque) };
  }

  it('left: every line starts at the left of the safe zone, the box inside it', async () => {
    const { lines, box } = await inkOfLines('left');
    expect(lines).toHaveLength(2);
    const area = textArea(canvas, 55);
    for (const ink of lines) {
      expect(ink.left).toBeGreaterThanOrEqual(area.left);
      expect(ink.left).toBeLessThan(area.left + 8);
    }
    expect(Math.abs(lines[0]!.right - lines[1]!.right)).toBeGreaterThan(40);
    expect(box.left).toBeGreaterThanOrEqual(safe.left);
    expect(box.left).toBeLessThan(safe.left + 3);
  });

  it('right: every line ends at the right of the safe zone, the box inside it', async () => {
    const { lines, box } = await inkOfLines('right');
    const area = textArea(canvas, 55);
    for (const ink of lines) {
      expect(ink.right).toBeLessThanOrEqual(area.left + area.width);
      expect(ink.right).toBeGreaterThan(area.left + area.width - 8);
    }
    expect(Math.abs(lines[0]!.left - lines[1]!.left)).toBeGreaterThan(40);
    expect(box.right).toBeLessThanOrEqual(safe.left + safe.width);
    expect(box.right).toBeGreaterThan(safe.left + safe.width - 3);
  });

  it('center (the default): every line centred on the canvas', async () => {
    const { lines } = await inkOfLines('center');
    for (const ink of lines) expect(Math.abs((ink.left + ink.right) / 2 - canvas.width / 2)).toBeLessThan(4);
    expect((await drawCaption(caption, { ...base, style: 'box' })).svg).toBe((await drawCaption(caption, { ...base, style: 'box', align: 'center' })).svg);
  });
});

describe('--caption-size', () => {
  async function inkHeight(captionSize: CaptionOptions['captionSize']): Promise<number> {
    const img = await overlay('Hello', { captionSize });
    const [band] = bands(img, opaque);
    return band!.bottom - band!.top;
  }

  it('s < m < l, m being TikTok size', async () => {
    const sizes = await Promise.all((['s', 'm', 'l'] as const).map((captionSize) => drawCaption('Hello', { ...base, captionSize })));
    expect(sizes.map((d) => d.size)).toEqual([43, 55, 70]);
    expect((await drawCaption('Hello', base)).svg).toBe(sizes[1]!.svg);
    const [s, m, l] = [await inkHeight('s'), await inkHeight('m'), await inkHeight('l')];
    expect(s).toBeLessThan(m - 5);
    expect(m).toBeLessThan(l - 5);
  });

  it('a number is a font size in pixels at 1080 wide, scaled with the canvas', async () => {
    expect((await drawCaption('Hello', { ...base, captionSize: 90 })).size).toBe(90);
    const half: Canvas = { width: 540, height: 960 };
    expect((await drawCaption('Hello', { ...base, canvas: half, captionSize: 90 })).size).toBe(45);
    expect(await inkHeight(90)).toBeGreaterThan(await inkHeight('l'));
  });

  it('still shrinks to keep a long caption inside the safe zone', async () => {
    const long = 'POV: you finally found the sunset spot everyone gatekeeps and the hills were worth every step ✨';
    const safe = safeZone(canvas);
    for (const style of ['outline', 'box'] as const) {
      const drawn = await drawCaption(long, { ...base, style, captionSize: 200 });
      expect(drawn.size).toBeLessThan(200);
      expect(drawn.warnings).toEqual([]);
      const img = await overlay(long, { style, captionSize: 200 });
      const all = bands(img, opaque);
      const ink = span(img, { top: all[0]!.top, bottom: all.at(-1)!.bottom }, opaque);
      expect(all[0]!.top).toBeGreaterThanOrEqual(safe.top);
      expect(all.at(-1)!.bottom).toBeLessThan(safe.top + safe.height);
      expect(ink.left).toBeGreaterThanOrEqual(safe.left);
      expect(ink.right).toBeLessThan(safe.left + safe.width);
    }
  });

  it.each([
    ['s', 's'],
    [' L ', 'l'],
    ['64', 64],
    ['64px', 64],
    ['20', 20],
    ['200', 200],
  ] as const)('%j reads as %j', (raw, size) => {
    expect(parseCaptionSize(raw)).toBe(size);
  });

  it.each([
    ['huge', /not a caption size/],
    ['', /not a caption size/],
    ['-5', /not a caption size/],
    ['19', /outside 20–200 px/],
    ['201px', /outside 20–200 px/],
  ])('%j is refused as the captionSize setting', (raw, problem) => {
    const error = (() => {
      try {
        return parseCaptionSize(raw);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidSetting);
    expect((error as InvalidSetting).field).toBe('captionSize');
    expect((error as InvalidSetting).problem).toMatch(problem);
    expect((error as InvalidSetting).hint).toMatch(/s, m, l or a pixel size/);
  });

  it('a number out of range is refused when drawing too, not only when typed', () => {
    expect(() => captionSizePx(500, canvas)).toThrow(InvalidSetting);
  });
});
