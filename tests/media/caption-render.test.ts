import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PRESETS, safeZone } from '../../src/media/canvas.js';
import { drawCaption } from '../../src/media/caption/caption.js';
import { fitText } from '../../src/media/caption/fitText.js';
import { loadFontStack } from '../../src/media/caption/fonts.js';
import { placeCaption } from '../../src/media/caption/layout.js';
import { renderCaptionOverlay } from '../../src/media/caption/overlay.js';
import { shapeCaption } from '../../src/media/caption/shape.js';

const canvas = PRESETS['9:16'];
const base = { canvas, style: 'outline', position: 'center' } as const;

const LONG =
  'Things nobody tells you about moving to Lisbon: the hills are brutal, the pastéis de nata are worth every calorie, ' +
  'rent is not cheap anymore, trams are for tourists, learn European Portuguese not Brazilian, the light at golden hour ' +
  'is unreal, and you will never want to leave. Save this for part 2!!!';

type Stack = Awaited<ReturnType<typeof loadFontStack>>;

/** Glyph ids in visual order, left to right, within each run. */
function glyphIds(text: string, stack: Stack): number[] {
  return shapeCaption(text, stack).paragraphs.flatMap((p) =>
    p.words.flatMap((w) => w.runs.flatMap((r) => r.items.flatMap((i) => (i.kind === 'glyph' ? [i.glyph.id] : [])))),
  );
}

/** The left edge (px) of every glyph of a one-line caption as placed, keyed by the character it draws; emoji as 'emoji'. */
async function glyphXs(text: string): Promise<Map<string, number>> {
  const stack = await loadFontStack(undefined, text);
  const shaped = shapeCaption(text, stack);
  const fitted = fitText(shaped.paragraphs, shaped.ellipsis, {
    maxWidth: 5000, maxHeight: 1000, size: 50, minSize: 50, lineHeight: 1.2, maxLines: 1, spaceWidth: shaped.spaceWidth,
  });
  const placed = placeCaption(fitted, { canvas: { width: 6000, height: 1920 }, position: 'center', lineHeight: 1.2, spaceWidth: shaped.spaceWidth, capHeight: 0.7 });
  expect(placed.lines).toHaveLength(1);
  const xs = new Map<string, number>();
  for (const { run, x } of placed.lines[0]!.runs) {
    for (const item of run.items) xs.set(item.kind === 'glyph' ? String.fromCodePoint(...item.glyph.codePoints) : 'emoji', x + item.x * placed.size);
  }
  return xs;
}

/** Asserts the characters are drawn in this order from left to right. */
function expectLeftToRight(xs: Map<string, number>, chars: string[]): void {
  const positions = chars.map((c) => xs.get(c));
  expect(positions.every((x) => x !== undefined), `all of ${chars.join(' ')} drawn`).toBe(true);
  expect([...positions].sort((a, b) => a! - b!)).toEqual(positions);
}

async function inkPixels(png: Buffer): Promise<number> {
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) ink++;
  return ink;
}

describe('caption drawing', () => {
  it('fits a 300-character caption in at most 6 lines, without cutting it', async () => {
    expect(LONG).toHaveLength(300);
    const drawn = await drawCaption(LONG, base);
    expect(drawn.lines).toBeLessThanOrEqual(6);
    expect(drawn.warnings).toEqual([]);
  });

  it('uses TikTok size (≈5.1% of the width) for a short caption', async () => {
    const drawn = await drawCaption('day one in Lisbon', base);
    expect(drawn.size).toBe(55);
    expect(drawn.lines).toBe(1);
  });

  it('cuts what cannot fit even at the floor size, with a warning', async () => {
    const drawn = await drawCaption(`${LONG} ${LONG} ${LONG}`, base);
    expect(drawn.lines).toBe(6);
    expect(drawn.warnings).toEqual([{ kind: 'captionCut', maxLines: 6, lastWords: expect.any(String) }]);
  });

  it('draws accents, Cyrillic, Greek and Vietnamese from the TikTok Sans subsets, never .notdef', async () => {
    const stack = await loadFontStack();
    const ids = glyphIds('Ça coûte 5 € • Привет • Γειά σου • Tiếng Việt • Łódź ñ ß', stack);
    expect(ids.length).toBeGreaterThan(30);
    expect(ids).not.toContain(0);
    expect(shapeCaption('Ça coûte • Привет • Γειά • Tiếng Việt', stack).missing).toEqual([]);
  });

  it('draws emoji, ZWJ sequences, skin tones, keycaps and flags as Twemoji pictures', async () => {
    const stack = await loadFontStack();
    const shaped = shapeCaption('✨ 👩🏽‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️‍🔥 👍🏿 1️⃣ 🇵🇹🇯🇵', stack);
    const emoji = shaped.paragraphs.flatMap((p) => p.words.flatMap((w) => w.runs.flatMap((r) => r.items.filter((i) => i.kind === 'emoji'))));
    expect(emoji).toHaveLength(9);
    expect(shaped.missing).toEqual([]);
    expect(glyphIds('✨ 👩🏽‍💻 🇵🇹', stack)).toEqual([]);
    const drawn = await drawCaption('so good ✨👩🏽‍💻🏳️‍🌈🇵🇹', base);
    expect(drawn.svg).toContain('<g transform="translate(');
  });

  it('names the characters no bundled font covers (Ethiopic), and still draws the rest', async () => {
    const drawn = await drawCaption('שלום مرحبا 你好 ሰላም hello', base);
    expect(drawn.warnings).toEqual([{ kind: 'missingGlyphs', chars: ['ሰ', 'ላ', 'ም'] }]);
    expect(drawn.svg).toContain('<path d="M');
  });

  it.each([
    ['Hebrew', 'טיול לים המלח, יום ראשון!'],
    ['Arabic', 'مرحبا بكم في دبي، سلام لا إله'],
  ])('draws a %s caption from the Noto Sans fallback, with ink and no .notdef', async (_script, caption) => {
    const stack = await loadFontStack(undefined, caption);
    const ids = glyphIds(caption, stack);
    expect(ids.length).toBeGreaterThan(15);
    expect(ids).not.toContain(0);
    const { png, warnings } = await renderCaptionOverlay(caption, base);
    expect(warnings).toEqual([]);
    expect(await inkPixels(png)).toBeGreaterThan(10000);
  });

  it('shapes Arabic: joined letters take their contextual forms, lam-alef its ligature', async () => {
    const stack = await loadFontStack(undefined, 'سلام');
    const arabic = stack.at(-1)!;
    expect(arabic.familyName).toMatch(/Noto Sans Arabic/);
    const isolated = (word: string) => [...word].map((c) => arabic.glyphForCodePoint(c.codePointAt(0)!).id);
    const laidOut = (word: string) => glyphIds(word, stack).reverse();
    const forms = laidOut('سلام');
    const alone = isolated('سلام');
    expect(forms).toHaveLength(4);
    // Alef never joins the letter after it, so the meem stands alone: forms follow context, not position.
    expect(forms.map((id, i) => id === alone[i])).toEqual([false, false, false, true]);
    expect(laidOut('لا')).not.toEqual(isolated('لا'));
  });

  it('orders an Arabic phrase inside a Latin line right to left, between the words around it', async () => {
    const xs = await glyphXs('Day 3 في دبي ✨');
    expectLeftToRight(xs, ['D', '3', 'ب', 'د', 'ف', 'emoji']);
  });

  it('orders a Hebrew line right to left, its Latin words and number left to right at its left end', async () => {
    const xs = await glyphXs('שלום world 123');
    expectLeftToRight(xs, ['w', 'd', '1', '3', 'ם', 'ו', 'ל', 'ש']);
  });

  it('orders a Hebrew phrase inside a Latin line right to left', async () => {
    const xs = await glyphXs('I love תל אביב so much');
    expectLeftToRight(xs, ['v', 'א', 'ל', 'ת', 'm']);
  });

  it('mirrors brackets inside right-to-left text', async () => {
    const xs = await glyphXs('(الجزء 2)');
    expectLeftToRight(xs, ['(', '2', 'ج', ')']);
  });

  it('opens the lines up for Arabic dots below the baseline, not for Latin', async () => {
    const stack = await loadFontStack(undefined, 'في دبي');
    expect(shapeCaption('gypsy jQuery', stack).depth).toBeLessThan(0.3);
    expect(shapeCaption('في دبي', stack).depth).toBeGreaterThan(0.4);
  });

  it('keeps one blank line between lines of text (however many were typed) and drops those around the text', async () => {
    expect(await drawCaption('POV: you moved\n\n\n\nday one', base)).toMatchObject({ lines: 3 });
    expect(await drawCaption('POV: you moved\n \nday one', base)).toMatchObject({ lines: 3 });
    expect(await drawCaption('\n\nPOV: you moved\n\n', base)).toMatchObject({ lines: 1 });
  });

  it('a blank line in a box caption is a gap between two boxes, not part of one', async () => {
    /** Runs of overlay rows with any opaque pixel: one per separate box. */
    const bands = async (text: string) => {
      const { png } = await renderCaptionOverlay(text, { ...base, style: 'box' });
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      let count = 0;
      let inside = false;
      for (let y = 0; y < info.height; y++) {
        let opaque = false;
        for (let x = 0; x < info.width && !opaque; x++) opaque = (data[(y * info.width + x) * info.channels + 3] as number) > 0;
        if (opaque && !inside) count += 1;
        inside = opaque;
      }
      return count;
    };
    expect(await bands('POV: you finally moved\nday one')).toBe(1);
    expect(await bands('POV: you finally moved\n\nday one')).toBe(2);
  });

  it('draws nothing and warns nothing for an empty caption', async () => {
    expect(await drawCaption('  \n ', base)).toMatchObject({ svg: '', warnings: [], lines: 0 });
  });
});

describe('caption overlay PNG', () => {
  it('is the full canvas, transparent outside the caption, which lies inside the safe zone', async () => {
    const { png, warnings } = await renderCaptionOverlay('overlay for a clip 🎬', { ...base, style: 'box', position: 'bottom' });
    expect(warnings).toEqual([]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([1080, 1920, 4]);
    const safe = safeZone(canvas);
    let inside = 0;
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if ((data[(y * info.width + x) * 4 + 3] ?? 0) === 0) continue;
        expect(x >= safe.left && x < safe.left + safe.width && y >= safe.top && y < safe.top + safe.height).toBe(true);
        inside++;
      }
    }
    expect(inside).toBeGreaterThan(5000);
  });
});
