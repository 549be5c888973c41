import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_NAMES, PRESETS, safeZone } from '../../src/media/canvas.js';
import { emojiFile, emojiKey, prefersEmoji } from '../../src/media/caption/emoji.js';
import { fitText } from '../../src/media/caption/fitText.js';
import { placeCaption } from '../../src/media/caption/layout.js';
import { CAPTION_POSITIONS, CAPTION_STYLES, captionColors, cssColor, LOOK } from '../../src/media/caption/look.js';
import { lineWidth, wrapBalanced, wrapGreedy } from '../../src/media/caption/wrap.js';
import { UsageError } from '../../src/errors.js';

const w = (...widths: number[]) => widths.map((width) => ({ width }));
const widthsOf = (lines: { width: number }[][]) => lines.map((l) => l.map((x) => x.width));

describe('wrapping by measured widths', () => {
  it.each([
    { words: [2, 2, 2], max: 10, lines: [[2, 2, 2]] },
    { words: [2, 2, 2], max: 5, lines: [[2, 2], [2]] },
    { words: [2, 2, 2], max: 4, lines: [[2], [2], [2]] },
    { words: [12, 1], max: 10, lines: [[12], [1]] },
    { words: [], max: 10, lines: [] },
  ])('first-fit puts $words into lines of $max', ({ words, max, lines }) => {
    expect(widthsOf(wrapGreedy(w(...words), 1, max))).toEqual(lines);
  });

  it('balanced wrapping keeps the line count and evens the lines out', () => {
    const words = w(3, 3, 3, 3, 3);
    expect(widthsOf(wrapGreedy(words, 1, 16))).toEqual([[3, 3, 3, 3], [3]]);
    expect(widthsOf(wrapBalanced(words, 1, 16))).toEqual([[3, 3, 3], [3, 3]]);
  });

  it('never makes more lines than first-fit, nor lines wider than the measure', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 8, noNaN: true }), { maxLength: 40 }), fc.double({ min: 8, max: 30, noNaN: true }), (widths, max) => {
        const words = w(...widths);
        const balanced = wrapBalanced(words, 0.3, max);
        expect(balanced.length).toBe(wrapGreedy(words, 0.3, max).length);
        for (const line of balanced) expect(lineWidth(line, 0.3)).toBeLessThanOrEqual(max + 1e-9);
        expect(balanced.flat()).toEqual(words);
      }),
    );
  });
});

describe('font sizing', () => {
  const o = { maxWidth: 100, maxHeight: 1000, size: 10, minSize: 5, lineHeight: 1.2, maxLines: 6, spaceWidth: 0.25 };
  const para = (...widths: number[]) => [{ words: w(...widths), rtl: false }];

  it('keeps the preferred size when the text fits', () => {
    expect(fitText(para(2, 2, 2), w(1)[0]!, o)).toMatchObject({ size: 10, truncated: false });
  });

  it('shrinks until the text fits in the line limit', () => {
    const fitted = fitText(para(...Array<number>(40).fill(2)), w(1)[0]!, o);
    expect(fitted.size).toBeLessThan(10);
    expect(fitted.size).toBeGreaterThanOrEqual(5);
    expect(fitted.lines.length).toBeLessThanOrEqual(6);
    expect(fitted.truncated).toBe(false);
  });

  it('shrinks so the widest word fits the measure', () => {
    expect(fitText(para(15), w(1)[0]!, o).size).toBe(6);
  });

  it('at the floor, cuts to the line limit and ends on the ellipsis', () => {
    const ellipsis = { width: 1 };
    const fitted = fitText(para(...Array<number>(400).fill(2)), ellipsis, o);
    expect(fitted).toMatchObject({ size: 5, truncated: true });
    expect(fitted.lines).toHaveLength(6);
    expect(fitted.lines.at(-1)?.ellipsis).toBe(ellipsis);
    expect((lineWidth(fitted.lines.at(-1)!.words, 0.25) + 1) * 5).toBeLessThanOrEqual(100);
  });

  it('counts lines against the height too', () => {
    const fitted = fitText(para(...Array<number>(100).fill(2)), w(1)[0]!, { ...o, maxHeight: 20 });
    expect(fitted.lines.length * fitted.size * 1.2).toBeLessThanOrEqual(20 + 1e-9);
  });
});

describe('caption placement', () => {
  it('keeps every line inside the safe zone, for any preset, position, style and text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PRESET_NAMES),
        fc.constantFrom(...CAPTION_POSITIONS),
        fc.constantFrom(...CAPTION_STYLES),
        fc.array(fc.array(fc.double({ min: 0.3, max: 6, noNaN: true }), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        (preset, position, style, paragraphs) => {
          const canvas = PRESETS[preset];
          const safe = safeZone(canvas);
          const size = canvas.width * LOOK.sizeOfCanvasWidth;
          const pad = LOOK.paddingOfSize * size;
          const fitted = fitText(
            paragraphs.map((p) => ({ words: w(...p), rtl: false })),
            { width: 1 },
            { maxWidth: LOOK.maxWidthOfSafeWidth * safe.width, maxHeight: safe.height - 2 * pad, size, minSize: canvas.width * LOOK.minSizeOfCanvasWidth, lineHeight: 1.3, maxLines: 6, spaceWidth: 0.25 },
          );
          const placed = placeCaption(fitted, { canvas, style, position, spaceWidth: 0.25, capHeight: 0.7 });
          for (const { box } of placed.lines) {
            expect(box.left).toBeGreaterThanOrEqual(safe.left);
            expect(box.left + box.width).toBeLessThanOrEqual(safe.left + safe.width + 1e-6);
            expect(box.top).toBeGreaterThanOrEqual(safe.top);
            expect(box.top + box.height).toBeLessThanOrEqual(safe.top + safe.height + 1e-6);
          }
        },
      ),
    );
  });

  it('puts right-to-left words from the right', () => {
    const words = w(2, 3);
    const placed = placeCaption(
      { size: 10, lines: [{ words, rtl: true }], truncated: false },
      { canvas: PRESETS['9:16'], style: 'outline', position: 'center', spaceWidth: 0.5, capHeight: 0.7 },
    );
    const [first, second] = placed.lines[0]!.words;
    expect(first?.word).toBe(words[1]);
    expect(second!.x).toBeGreaterThan(first!.x);
  });

  it.each([
    ['top', (t: number, safe: { top: number }) => t - safe.top < 40],
    ['bottom', (t: number, safe: { top: number; height: number }) => safe.top + safe.height - t < 120],
  ] as const)('sits at the %s of the safe zone', (position, near) => {
    const canvas = PRESETS['9:16'];
    const placed = placeCaption({ size: 55, lines: [{ words: w(3), rtl: false }], truncated: false }, { canvas, style: 'outline', position, spaceWidth: 0.25, capHeight: 0.7 });
    expect(near(placed.lines[0]!.box.top, safeZone(canvas))).toBe(true);
  });
});

describe('emoji lookup', () => {
  it.each([
    ['✨', '2728'],
    ['❤️', '2764'],
    ['🇵🇹', '1f1f5-1f1f9'],
    ['👍🏽', '1f44d-1f3fd'],
    ['👩🏽‍💻', '1f469-1f3fd-200d-1f4bb'],
    ['🏳️‍🌈', '1f3f3-200d-1f308'],
    ['❤️‍🔥', '2764-200d-1f525'],
    ['#️⃣', '23-20e3'],
  ])('%s is keyed %s and has a Twemoji file', (cluster, key) => {
    expect(emojiKey(cluster)).toBe(key);
    expect(emojiFile(cluster)).toMatch(/\.svg$/);
  });

  it('finds files that keep FE0F in their name (rainbow flag, heart on fire)', () => {
    expect(emojiFile('🏳️‍🌈')).toMatch(/1f3f3-fe0f-200d-1f308\.svg$/);
    expect(emojiFile('❤️‍🔥')).toMatch(/2764-fe0f-200d-1f525\.svg$/);
  });

  it.each([
    ['✨', true],
    ['🇫🇷', true],
    ['1️⃣', true],
    ['©', false],
    ['a', false],
    ['1', false],
  ])('%s prefers the emoji picture: %s', (cluster, expected) => {
    expect(prefersEmoji(cluster)).toBe(expected);
  });
});

describe('caption colours', () => {
  it.each([
    ['#FFCC00', '#ffcc00'],
    ['fc0', '#fc0'],
    ['yellow', '#ffe600'],
    ['#ff004480', '#ff004480'],
  ])('%s is the colour %s', (given, expected) => {
    expect(cssColor(given, '--text-color')).toBe(expected);
  });

  it.each(['"/><script>', 'notacolour', '#12345'])('%s is refused with the flag named', (given) => {
    expect(() => cssColor(given, '--box-color')).toThrow(UsageError);
    expect(() => cssColor(given, '--box-color')).toThrow(/--box-color/);
  });

  it('box text is black on white, the other styles white', () => {
    expect(captionColors('box')).toMatchObject({ text: '#000000', box: '#ffffff' });
    expect(captionColors('outline').text).toBe('#ffffff');
  });
});
