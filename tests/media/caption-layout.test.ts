import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_NAMES, PRESETS, safeZone } from '../../src/media/canvas.js';
import { visualOrder } from '../../src/media/caption/bidi.js';
import { emojiFile, emojiKey, prefersEmoji } from '../../src/media/caption/emoji.js';
import { fitText } from '../../src/media/caption/fitText.js';
import { lineHeight, placeCaption } from '../../src/media/caption/layout.js';
import { CAPTION_ALIGNS, CAPTION_POSITIONS, CAPTION_STYLES, captionColors, cssColor, LOOK } from '../../src/media/caption/look.js';
import { lineWidth, wrapBalanced, wrapGreedy } from '../../src/media/caption/wrap.js';
import { InvalidSetting } from '../../src/errors.js';

const w = (...widths: number[]) => widths.map((width) => ({ width }));
const widthsOf = (lines: { width: number }[][]) => lines.map((l) => l.map((x) => x.width));
/** Words of one run each, at one bidi level, with a space at that level after them. */
const bidiWords = (level: number, ...widths: number[]) =>
  widths.map((width) => ({ width, runs: [{ width, level }], spaceLevel: level }));

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
  it('keeps every line inside the safe zone, for any preset, position, alignment, style and text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PRESET_NAMES),
        fc.constantFrom(...CAPTION_POSITIONS),
        fc.constantFrom(...CAPTION_ALIGNS),
        fc.constantFrom(...CAPTION_STYLES),
        fc.array(fc.array(fc.double({ min: 0.3, max: 6, noNaN: true }), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        (preset, position, align, style, paragraphs) => {
          const canvas = PRESETS[preset];
          const safe = safeZone(canvas);
          const size = canvas.width * LOOK.sizeOfCanvasWidth;
          const pad = LOOK.paddingOfSize * size;
          const fitted = fitText(
            paragraphs.map((p) => ({ words: bidiWords(0, ...p), rtl: false })),
            bidiWords(0, 1)[0]!,
            { maxWidth: LOOK.maxWidthOfSafeWidth * safe.width, maxHeight: safe.height - 2 * pad, size, minSize: canvas.width * LOOK.minSizeOfCanvasWidth, lineHeight: 1.3, maxLines: 6, spaceWidth: 0.25 },
          );
          const placed = placeCaption(fitted, { canvas, position, align, lineHeight: lineHeight(style, 0, 0.3), spaceWidth: 0.25, capHeight: 0.7 });
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

  it('puts right-to-left words from the right, and the ellipsis of a cut line at its left end', () => {
    const words = bidiWords(1, 2, 3);
    const ellipsis = bidiWords(0, 1)[0]!;
    const placed = placeCaption(
      { size: 10, lines: [{ words, rtl: true, ellipsis }], truncated: true },
      { canvas: PRESETS['9:16'], position: 'center', lineHeight: 1.2, spaceWidth: 0.5, capHeight: 0.7 },
    );
    expect(placed.lines[0]!.runs.map((r) => r.run)).toEqual([ellipsis.runs[0], words[1]!.runs[0], words[0]!.runs[0]]);
    const [cut, second, first] = placed.lines[0]!.runs;
    expect(second!.x).toBe(cut!.x + 10);
    expect(first!.x).toBe(second!.x + 30 + 5);
  });

  it('places a left-to-right number inside a right-to-left line in reading order, the line as wide as before', () => {
    const words = [...bidiWords(1, 2), ...bidiWords(2, 3), ...bidiWords(1, 4)];
    const placed = placeCaption(
      { size: 10, lines: [{ words, rtl: true }], truncated: false },
      { canvas: PRESETS['9:16'], position: 'center', lineHeight: 1.2, spaceWidth: 0.5, capHeight: 0.7 },
    );
    const { runs, box } = placed.lines[0]!;
    expect(runs.map((r) => r.run.width)).toEqual([4, 3, 2]);
    expect(runs.at(-1)!.x + 20).toBeCloseTo(box.left + box.width);
  });

  it('opens the lines up by however far glyphs reach below the primary face', () => {
    expect(lineHeight('outline', 0.21, 0.3)).toBe(LOOK.lineHeight);
    expect(lineHeight('box', 0.21, 0.3)).toBe(LOOK.boxLineHeight);
    expect(lineHeight('outline', 0.45, 0.3)).toBeCloseTo(LOOK.lineHeight + 0.15);
  });

  it.each([
    ['top', (t: number, safe: { top: number }) => t - safe.top < 40],
    ['bottom', (t: number, safe: { top: number; height: number }) => safe.top + safe.height - t < 120],
  ] as const)('sits at the %s of the safe zone', (position, near) => {
    const canvas = PRESETS['9:16'];
    const placed = placeCaption(
      { size: 55, lines: [{ words: bidiWords(0, 3), rtl: false }], truncated: false },
      { canvas, position, lineHeight: LOOK.lineHeight, spaceWidth: 0.25, capHeight: 0.7 },
    );
    expect(near(placed.lines[0]!.box.top, safeZone(canvas))).toBe(true);
  });
});

describe('bidi visual order of runs (UAX #9 rule L2)', () => {
  it.each([
    { levels: [0, 0, 0], order: [0, 1, 2] },
    { levels: [1, 1, 1], order: [2, 1, 0] },
    { levels: [0, 1, 1, 0], order: [0, 2, 1, 3] },
    { levels: [1, 2, 2, 1], order: [3, 1, 2, 0] },
    { levels: [0, 1, 2, 2, 1, 0], order: [0, 4, 2, 3, 1, 5] },
    { levels: [2, 2, 0], order: [0, 1, 2] },
  ])('levels $levels are drawn left to right as $order', ({ levels, order }) => {
    const runs = levels.map((level, i) => ({ level, i }));
    expect(visualOrder(runs).map((r) => r.i)).toEqual(order);
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
    expect(cssColor(given, 'textColor')).toBe(expected);
  });

  it.each(['"/><script>', 'notacolour', '#12345'])('%s is refused as data: the setting, the value, the problem', (given) => {
    expect(() => cssColor(given, 'boxColor')).toThrow(InvalidSetting);
    expect(() => cssColor(given, 'boxColor')).toThrow(expect.objectContaining({ field: 'boxColor', value: given, problem: 'not a colour' }));
  });

  it('box text is black on white, the other styles white', () => {
    expect(captionColors('box')).toMatchObject({ text: '#000000', box: '#ffffff' });
    expect(captionColors('outline').text).toBe('#ffffff');
  });
});
