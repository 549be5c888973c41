import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { detect } from 'traditional-or-simplified';
import { unpackWoff2 } from './woff2.js';

/** Noto Sans JP, KR, SC and TC, each split by Fontsource into ~100 unicode-range subsets of one variable font. */
export type CjkFamily = 'jp' | 'kr' | 'sc' | 'tc';

/** The weight TikTok Sans is drawn at, set on the variable CJK faces' wght axis. */
const WEIGHT = 600;

const KANA = /[\p{scx=Hiragana}\p{scx=Katakana}]/u;
const HANGUL = /\p{scx=Hangul}/u;
/** Characters only CJK faces draw: ideographs, kana, hangul, bopomofo, CJK punctuation and full-width forms. */
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}\u3000-\u303f\u3200-\u33ff\ufe30-\ufe4f\uff00-\uffef]/u;

/** Whether `text` has characters drawn by the CJK faces (full-width glyphs, which need taller lines). */
export function usesCjk(text: string): boolean {
  return CJK.test(text);
}

/**
 * The order the families are tried in for a caption: the one its writing implies first (kana
 * is Japanese, hangul Korean, other ideographs Simplified or Traditional Chinese by which forms
 * dominate), so a shared ideograph takes the shape its readers expect.
 */
export function cjkFamilyOrder(text: string): CjkFamily[] {
  const chinese: CjkFamily[] = isTraditional(text) ? ['tc', 'sc'] : ['sc', 'tc'];
  if (KANA.test(text)) return ['jp', ...chinese, 'kr'];
  if (HANGUL.test(text)) return ['kr', 'jp', ...chinese];
  return [...chinese, 'jp', 'kr'];
}

function isTraditional(text: string): boolean {
  const { simplifiedCharacters, traditionalCharacters } = detect(text);
  return traditionalCharacters > simplifiedCharacters;
}

/** A subset's unicode ranges as [first, last] code point pairs. */
type Ranges = readonly (readonly [number, number])[];

/** Fontsource's unicode.json: subset name ("[12]", "latin"…) to a CSS unicode-range. */
export function parseUnicodeRanges(css: string): Ranges {
  return css.split(',').map((part) => {
    const [first = '', last] = part.trim().replace(/^U\+/i, '').split('-');
    const lo = Number.parseInt(first, 16);
    return [lo, last === undefined ? lo : Number.parseInt(last, 16)] as const;
  });
}

function covers(ranges: Ranges, codePoint: number): boolean {
  return ranges.some(([lo, hi]) => codePoint >= lo && codePoint <= hi);
}

/**
 * The subsets (family and numbered subset) that draw the caption's CJK characters: for each,
 * the first family in `order` whose subsets cover it, best family first so a character two
 * loaded subsets share is drawn by the one chosen for it. Latin and other scripts are left to
 * the faces before these in the stack.
 */
export function cjkSubsetsFor(
  text: string,
  order: readonly CjkFamily[],
  subsets: (family: CjkFamily) => ReadonlyMap<string, Ranges>,
): { family: CjkFamily; subset: string }[] {
  const wanted = new Map<string, { family: CjkFamily; subset: string }>();
  for (const char of new Set(text)) {
    if (!CJK.test(char)) continue;
    const codePoint = char.codePointAt(0) ?? 0;
    const found = firstCovering(codePoint, order, subsets);
    if (found) wanted.set(`${found.family}/${found.subset}`, found);
  }
  return [...wanted.values()].sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family));
}

function firstCovering(
  codePoint: number,
  order: readonly CjkFamily[],
  subsets: (family: CjkFamily) => ReadonlyMap<string, Ranges>,
): { family: CjkFamily; subset: string } | undefined {
  for (const family of order) {
    for (const [subset, ranges] of subsets(family)) {
      if (covers(ranges, codePoint)) return { family, subset };
    }
  }
  return undefined;
}

const require = createRequire(import.meta.url);
const rangeTables = new Map<CjkFamily, ReadonlyMap<string, Ranges>>();
const faces = new Map<string, Promise<fontkit.Font>>();

/** The numbered (CJK) subsets of a family with their ranges; its Latin, Cyrillic… subsets are never used. */
function numberedSubsets(family: CjkFamily): ReadonlyMap<string, Ranges> {
  let table = rangeTables.get(family);
  if (!table) {
    const json = require(`@fontsource-variable/noto-sans-${family}/unicode.json`) as Record<string, string>;
    table = new Map(
      Object.entries(json)
        .filter(([name]) => /^\[\d+\]$/.test(name))
        .map(([name, css]) => [name.slice(1, -1), parseUnicodeRanges(css)]),
    );
    rangeTables.set(family, table);
  }
  return table;
}

/**
 * The CJK faces a caption needs, best family first, each read only when one of its characters
 * is in the caption. fontkit cannot set a variation axis on a WOFF2 face, so each subset is
 * unpacked to TrueType first.
 */
export async function loadCjkFaces(text: string): Promise<fontkit.Font[]> {
  if (!usesCjk(text)) return [];
  const wanted = cjkSubsetsFor(text, cjkFamilyOrder(text), numberedSubsets);
  return Promise.all(wanted.map(({ family, subset }) => cachedFace(family, subset)));
}

function cachedFace(family: CjkFamily, subset: string): Promise<fontkit.Font> {
  const key = `${family}/${subset}`;
  let face = faces.get(key);
  if (!face) {
    face = readSubset(family, subset);
    faces.set(key, face);
    face.catch(() => faces.delete(key));
  }
  return face;
}

async function readSubset(family: CjkFamily, subset: string): Promise<fontkit.Font> {
  const file = require.resolve(`@fontsource-variable/noto-sans-${family}/files/noto-sans-${family}-${subset}-wght-normal.woff2`);
  const font = fontkit.create(await unpackWoff2(await readFile(file)));
  if ('fonts' in font) throw new Error(`${file} is a font collection`);
  return font.getVariation({ wght: WEIGHT });
}
