import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { UsageError } from '../../errors.js';

/** The font faces a caption may draw from, in the order they are tried for each character. */
export type FontStack = readonly fontkit.Font[];

/** TikTok Sans SemiBold is split by script; every subset is loaded and tried per character. */
const BUNDLED_SUBSETS = ['latin', 'latin-ext', 'vietnamese', 'greek', 'cyrillic', 'cyrillic-ext'] as const;

const require = createRequire(import.meta.url);
const loaded = new Map<string, Promise<FontStack>>();

/** The bundled stack, or `fontFile` first with the bundled faces behind it for what it lacks. Cached. */
export function loadFontStack(fontFile?: string): Promise<FontStack> {
  const key = fontFile ?? '';
  let stack = loaded.get(key);
  if (!stack) {
    stack = buildStack(fontFile);
    loaded.set(key, stack);
    stack.catch(() => loaded.delete(key));
  }
  return stack;
}

async function buildStack(fontFile?: string): Promise<FontStack> {
  const bundled = await Promise.all(
    BUNDLED_SUBSETS.map((subset) =>
      readFont(require.resolve(`@fontsource/tiktok-sans/files/tiktok-sans-${subset}-600-normal.woff2`)),
    ),
  );
  if (fontFile === undefined) return bundled;
  let custom: fontkit.Font;
  try {
    custom = await readFont(fontFile);
  } catch (error) {
    throw new UsageError(`--font ${fontFile}: not a font file we can read (${(error as Error).message}).`, {
      hint: 'give a .ttf, .otf, .woff or .woff2 file',
    });
  }
  return [custom, ...bundled];
}

async function readFont(path: string): Promise<fontkit.Font> {
  const parsed = fontkit.create(await readFile(path));
  return 'fonts' in parsed ? firstOf(parsed.fonts, path) : parsed;
}

function firstOf(fonts: fontkit.Font[], path: string): fontkit.Font {
  const font = fonts[0];
  if (!font) throw new Error(`${path} is an empty font collection`);
  return font;
}

/** The first face that has a glyph for every code point of `cluster`, if any. */
export function fontFor(stack: FontStack, cluster: string): fontkit.Font | undefined {
  const codePoints = [...cluster].map((c) => c.codePointAt(0) ?? 0).filter((cp) => !isIgnorable(cp));
  return stack.find((font) => codePoints.every((cp) => font.hasGlyphForCodePoint(cp)));
}

/** Joiners and variation selectors are never drawn, so a face need not have them. */
function isIgnorable(codePoint: number): boolean {
  return codePoint === 0x200d || codePoint === 0x200c || (codePoint >= 0xfe00 && codePoint <= 0xfe0f);
}
