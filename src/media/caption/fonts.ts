import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { InvalidSetting } from '../../errors.js';
import { loadCjkFaces } from './cjkFonts.js';

/** The font faces a caption may draw from, in the order they are tried for each character. */
export type FontStack = readonly fontkit.Font[];

/** TikTok Sans SemiBold is split by script; every subset is loaded and tried per character. */
const BUNDLED_SUBSETS = ['latin', 'latin-ext', 'vietnamese', 'greek', 'cyrillic', 'cyrillic-ext'] as const;

/**
 * Scripts TikTok Sans lacks, drawn by Noto Sans SemiBold behind it. Each is read only when a
 * caption uses its script, so a Latin caption never pays for them.
 */
const FALLBACKS = [
  { script: /\p{scx=Hebrew}/u, file: '@fontsource/noto-sans-hebrew/files/noto-sans-hebrew-hebrew-600-normal.woff2' },
  { script: /\p{scx=Arabic}/u, file: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-600-normal.woff2' },
  { script: /\p{scx=Thai}/u, file: '@fontsource/noto-sans-thai/files/noto-sans-thai-thai-600-normal.woff2' },
  { script: /\p{scx=Devanagari}/u, file: '@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-600-normal.woff2' },
  { script: /\p{scx=Bengali}/u, file: '@fontsource/noto-sans-bengali/files/noto-sans-bengali-bengali-600-normal.woff2' },
  { script: /\p{scx=Tamil}/u, file: '@fontsource/noto-sans-tamil/files/noto-sans-tamil-tamil-600-normal.woff2' },
] as const;

const require = createRequire(import.meta.url);
const stacks = new Map<string, Promise<FontStack>>();
const fallbacks = new Map<string, Promise<fontkit.Font>>();

/**
 * The bundled stack, or `fontFile` first with the bundled faces behind it for what it lacks;
 * then the fallback faces for the scripts `text` uses, CJK last. Cached.
 */
export async function loadFontStack(fontFile?: string, text = ''): Promise<FontStack> {
  const [base, extra, cjk] = await Promise.all([
    cached(stacks, fontFile ?? '', () => buildStack(fontFile)),
    Promise.all(fallbackFilesFor(text).map((file) => cached(fallbacks, file, () => readFont(require.resolve(file))))),
    loadCjkFaces(text),
  ]);
  return [...base, ...extra, ...cjk];
}

/** The fallback font files a caption needs, by the scripts of its characters. */
function fallbackFilesFor(text: string): string[] {
  return FALLBACKS.filter(({ script }) => script.test(text)).map(({ file }) => file);
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
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
    throw new InvalidSetting('font', fontFile, `not a font file we can read (${(error as Error).message})`, {
      pass: 'a .ttf, .otf, .woff or .woff2 file',
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
