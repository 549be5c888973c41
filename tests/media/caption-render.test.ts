import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PRESETS, safeZone } from '../../src/media/canvas.js';
import { drawCaption } from '../../src/media/caption/caption.js';
import { loadFontStack } from '../../src/media/caption/fonts.js';
import { renderCaptionOverlay } from '../../src/media/caption/overlay.js';
import { shapeCaption } from '../../src/media/caption/shape.js';

const canvas = PRESETS['9:16'];
const base = { canvas, style: 'outline', position: 'center' } as const;

const LONG =
  'Things nobody tells you about moving to Lisbon: the hills are brutal, the pastéis de nata are worth every calorie, ' +
  'rent is not cheap anymore, trams are for tourists, learn European Portuguese not Brazilian, the light at golden hour ' +
  'is unreal, and you will never want to leave. Save this for part 2!!!';

function glyphIds(text: string, stack: Awaited<ReturnType<typeof loadFontStack>>): number[] {
  return shapeCaption(text, stack).paragraphs.flatMap((p) => p.words.flatMap((w) => w.items.flatMap((i) => (i.kind === 'glyph' ? [i.glyph.id] : []))));
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
    expect(drawn.warnings.join()).toMatch(/too long for 6 lines/);
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
    const emoji = shaped.paragraphs.flatMap((p) => p.words.flatMap((w) => w.items.filter((i) => i.kind === 'emoji')));
    expect(emoji).toHaveLength(9);
    expect(shaped.missing).toEqual([]);
    expect(glyphIds('✨ 👩🏽‍💻 🇵🇹', stack)).toEqual([]);
    const drawn = await drawCaption('so good ✨👩🏽‍💻🏳️‍🌈🇵🇹', base);
    expect(drawn.svg).toContain('<g transform="translate(');
  });

  it('names the right-to-left and CJK characters no font covers, and still draws the rest', async () => {
    const drawn = await drawCaption('שלום مرحبا 你好 hello', base);
    expect(drawn.warnings).toHaveLength(1);
    expect(drawn.warnings[0]).toMatch(/ש.*م.*你/u);
    expect(drawn.svg).toContain('<path d="M');
    const stack = await loadFontStack();
    expect(glyphIds('שלום مرحبا 你好 hello', stack)).not.toContain(0);
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
