import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/media/canvas.js';
import { drawCaption } from '../../src/media/caption/caption.js';
import { fitText } from '../../src/media/caption/fitText.js';
import { loadFontStack } from '../../src/media/caption/fonts.js';
import { lineHeight } from '../../src/media/caption/layout.js';
import { renderCaptionOverlay } from '../../src/media/caption/overlay.js';
import { shapeCaption } from '../../src/media/caption/shape.js';
import { renderSlide } from '../../src/media/slide.js';
import { writeScene } from './slide-inputs.js';

const canvas = PRESETS['9:16'];
const base = { canvas, style: 'outline', position: 'center' } as const;

let dir: string;
let scene: string;
let bare: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-scripts-'));
  scene = join(dir, 'scene.jpg');
  await writeScene(scene);
  await renderSlide({ source: scene, canvas, fit: 'cover', style: 'outline', position: 'center', format: 'png' }, join(dir, 'bare.png'));
  bare = (await sharp(join(dir, 'bare.png')).raw().toBuffer()) as Buffer;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Pixels (of the whole slide) where any channel moved by more than 40 from the bare photo. */
async function changedPixels(file: string): Promise<number> {
  const data = await sharp(file).raw().toBuffer();
  let changed = 0;
  for (let i = 0; i < data.length; i += 3) {
    const moved = Math.max(...[0, 1, 2].map((c) => Math.abs((data[i + c] ?? 0) - (bare[i + c] ?? 0))));
    if (moved > 40) changed++;
  }
  return changed;
}

const SCRIPTS = [
  ['Japanese', '今日は東京で最高の一日でした！「また来たい」', /Noto Sans JP/],
  ['Simplified Chinese', '我们今天去了长城，风景太美了', /Noto Sans SC/],
  ['Traditional Chinese', '我們今天去了長城，風景太美了', /Noto Sans TC/],
  ['Korean', '오늘 서울에서 최고의 하루였어요', /Noto Sans KR/],
  ['Thai', 'วันนี้ไปเที่ยวกรุงเทพฯ สนุกมากเลยครับ', /Noto Sans Thai/],
  ['Devanagari', 'आज दिल्ली में सबसे अच्छा दिन था', /Noto Sans Devanagari/],
  ['Bengali', 'আজ কলকাতায় সেরা দিন ছিল', /Noto Sans Bengali/],
  ['Tamil', 'இன்று சென்னையில் சிறந்த நாள்', /Noto Sans Tamil/],
] as const;

describe('captions in every bundled script', () => {
  it.each(SCRIPTS)('draws %s from the bundled Noto face: ink on the photo, no .notdef, no warning', async (_script, caption, family) => {
    const stack = await loadFontStack(undefined, caption);
    const glyphs = shapeCaption(caption, stack).paragraphs.flatMap((p) =>
      p.words.flatMap((w) => w.runs.flatMap((r) => r.items.flatMap((i) => (i.kind === 'glyph' ? [i] : [])))),
    );
    expect(glyphs.length).toBeGreaterThan(10);
    expect(glyphs.map((g) => g.glyph.id)).not.toContain(0);
    const faces = new Set(stack.filter((font) => glyphs.some((g) => font.hasGlyphForCodePoint(g.glyph.codePoints[0] ?? 0))).map((f) => f.familyName));
    expect([...faces].some((name) => family.test(name)), [...faces].join(', ')).toBe(true);

    const out = join(dir, `${caption.slice(0, 4)}.png`);
    const { warnings } = await renderSlide({ source: scene, canvas, fit: 'cover', style: 'outline', position: 'center', format: 'png', caption }, out);
    expect(warnings).toEqual([]);
    expect(await changedPixels(out)).toBeGreaterThan(15000);
  });

  it('draws the CJK faces at TikTok Sans weight (600), not the variable font default', async () => {
    const stack = await loadFontStack(undefined, '東京');
    const jp = stack.find((f) => f.hasGlyphForCodePoint(0x6771))!;
    expect(jp.familyName).toMatch(/Noto Sans/);
    const thin = jp.getVariation({ wght: 100 }).glyphForCodePoint(0x6771);
    const bold = jp.glyphForCodePoint(0x6771);
    expect(bold.path.toSVG()).not.toBe(thin.path.toSVG());
    expect(jp.getVariation({ wght: 600 }).glyphForCodePoint(0x6771).path.toSVG()).toBe(bold.path.toSVG());
  });

  it('wraps and shapes a mixed caption: TikTok Sans for Latin, Noto for 東京, Twemoji for ✨, no warning', async () => {
    const caption = 'day 3 in 東京 ✨';
    const stack = await loadFontStack(undefined, caption);
    const shaped = shapeCaption(caption, stack);
    const words = shaped.paragraphs[0]!.words;
    expect(words.map((w) => [w.text, w.joined ?? false])).toEqual([
      ['day', false],
      ['3', false],
      ['in', false],
      ['東', false],
      ['京', true],
      ['✨', false],
    ]);
    const faceOf = (word: number) => {
      const item = words[word]!.runs[0]!.items[0]!;
      return item.kind === 'glyph' ? stack.find((f) => f.hasGlyphForCodePoint(item.glyph.codePoints[0] ?? 0))!.familyName : 'emoji';
    };
    expect(faceOf(0)).toMatch(/TikTok Sans/);
    expect(faceOf(3)).toMatch(/Noto Sans/);
    expect(faceOf(5)).toBe('emoji');
    const narrow = fitText(shaped.paragraphs, shaped.ellipsis, {
      maxWidth: 4.5 * 50, maxHeight: 1000, size: 50, minSize: 50, lineHeight: 1.3, maxLines: 6, spaceWidth: shaped.spaceWidth,
    });
    expect(narrow.lines.map((l) => l.words.map((w) => w.text).join('|'))).toEqual(['day|3|in', '東|京|✨']);
    expect((await drawCaption(caption, base)).warnings).toEqual([]);
  });

  it('breaks a long Japanese caption between characters, never before 、。」 or small kana', async () => {
    const caption = '今日は朝から雨だったけど、午後には晴れて、最高の景色が見られました。「また来たい」って思った！ちょっとだけ疲れたけど。';
    const stack = await loadFontStack(undefined, caption);
    const shaped = shapeCaption(caption, stack);
    const fitted = fitText(shaped.paragraphs, shaped.ellipsis, {
      maxWidth: 600, maxHeight: 2000, size: 55, minSize: 55, lineHeight: 1.34, maxLines: 10, spaceWidth: shaped.spaceWidth,
    });
    const lines = fitted.lines.map((l) => l.words.map((w) => w.text).join(''));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join('')).toBe(caption);
    for (const line of lines.slice(1)) expect('、。」）！ょっー').not.toContain(line[0]);
    for (const line of lines.slice(0, -1)) expect('「（').not.toContain(line.at(-1));
  });

  it('opens CJK lines up (full-width glyphs), keeps Latin at TikTok line height', () => {
    expect(lineHeight('outline', 0, 0.3, true)).toBeGreaterThan(lineHeight('outline', 0, 0.3));
    expect(lineHeight('box', 0, 0.3, true)).toBeGreaterThan(lineHeight('box', 0, 0.3));
    expect(lineHeight('outline', 0, 0.3)).toBe(1.16);
  });

  it.each(['最高の一日でした。', '「最高」だった', '太好了！'])('centres a CJK line on its ink, not on the blank half of its full-width punctuation: %s', async (caption) => {
    const { png } = await renderCaptionOverlay(caption, base);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    let left = info.width;
    let right = 0;
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if ((data[(y * info.width + x) * 4 + 3] ?? 0) > 128) {
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    // The blank half of 。 or 」 is ≈ 0.4 em (22 px at 55 px): left in, the ink sits ≈ 11 px off centre.
    expect(Math.abs((left + right) / 2 - info.width / 2)).toBeLessThan(4);
  });

  it('draws emoji inside CJK lines at the size of the ideographs', async () => {
    const drawn = await drawCaption('東京タワー🗼最高✨', base);
    expect(drawn.warnings).toEqual([]);
    expect(drawn.svg.match(/<g transform="translate\(/g)).toHaveLength(2);
  });

  it('names characters no bundled font covers (Ethiopic, Egyptian hieroglyphs) and draws the CJK around them', async () => {
    const drawn = await drawCaption('東京 ሰላም 𓀀', base);
    expect(drawn.warnings).toEqual([{ kind: 'missingGlyphs', chars: ['ሰ', 'ላ', 'ም', '𓀀'] }]);
    expect(drawn.svg).toContain('<path d="M');
  });
});

/**
 * SHA-256 (first 16 hex digits) of each caption's SVG as drawn before CJK, Thai and Indic
 * support: adding scripts must not move a pixel of the scripts that already worked.
 */
const PINNED = {
  Latin: ["POV: you finally found the sunset spot everyone gatekeeps (it's worth it) ✨🇵🇹", 'ca8966d82728e5ab', '2b17d5c3450bf587'],
  Cyrillic: ['Привет из Москвы! Лучший закат в моей жизни', '3885812489dbb678', 'fb9ceb74649156b6'],
  Greek: ['Καλημέρα από την Αθήνα, η θάλασσα είναι υπέροχη', '55995bc2037fc78e', 'ae6e1c7f4749a5e8'],
  Vietnamese: ['Xin chào Việt Nam! Phở ngon nhất ở Hà Nội', '2b0aef6ae9a4b1d2', 'd929f11890527925'],
  Hebrew: ['שלום מתל אביב, השקיעה הכי יפה בעולם', '69ac02d69d620062', '0511da8d2a96fa63'],
  Arabic: ['مرحبا من دبي، أجمل غروب في العالم', '0d41f43e45e7f6f5', 'e3f96b81598a1ef1'],
} as const;

describe('scripts that already worked', () => {
  it.each(Object.entries(PINNED))('%s outline and shadow captions draw exactly as before', async (_script, [caption, outline, shadow]) => {
    const hash = async (style: 'outline' | 'shadow') => {
      const { svg } = await drawCaption(caption, { canvas, style, position: 'bottom' });
      return createHash('sha256').update(svg).digest('hex').slice(0, 16);
    };
    expect([await hash('outline'), await hash('shadow')]).toEqual([outline, shadow]);
  });
});
