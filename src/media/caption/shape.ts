import type { Font, Glyph } from 'fontkit';
import { emojiFile, prefersEmoji } from './emoji.js';
import { fontFor, type FontStack } from './fonts.js';

/** Sizes here are in em: multiply by the font size in pixels to draw. */
export interface GlyphItem {
  kind: 'glyph';
  glyph: Glyph;
  unitsPerEm: number;
  /** Pen position from the word's left edge, and the vertical offset (up is positive). */
  x: number;
  y: number;
}

export interface EmojiItem {
  kind: 'emoji';
  file: string;
  x: number;
}

export interface ShapedWord {
  text: string;
  width: number;
  items: (GlyphItem | EmojiItem)[];
}

export interface ShapedParagraph {
  words: ShapedWord[];
  /** Right-to-left paragraphs (first strong character Arabic, Hebrew…) lay their words out from the right. */
  rtl: boolean;
}

export interface ShapedCaption {
  paragraphs: ShapedParagraph[];
  spaceWidth: number;
  ellipsis: ShapedWord;
  /** Characters no face in the stack nor Twemoji can draw: they are left out and named in a warning. */
  missing: string[];
}

/** Emoji are drawn one em square, with a little room on each side. */
export const EMOJI_SIZE = 1;
const EMOJI_ADVANCE = 1.12;

const RTL_CHAR = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const STRONG_CHAR = /\p{L}/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits a caption into paragraphs (line breaks) and words (spaces), each measured by its glyph advances. */
export function shapeCaption(text: string, stack: FontStack): ShapedCaption {
  const primary = stack[0];
  if (!primary) throw new Error('empty font stack');
  const missing = new Set<string>();
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => ({
      words: line.split(/\s+/).map((word) => shapeWord(word, stack, missing)).filter((w) => w.items.length > 0),
      rtl: isRtl(line),
    }))
    .filter((p) => p.words.length > 0);
  return {
    paragraphs,
    spaceWidth: primary.glyphForCodePoint(0x20).advanceWidth / primary.unitsPerEm,
    ellipsis: shapeWord('…', stack, missing),
    missing: [...missing],
  };
}

function isRtl(line: string): boolean {
  for (const char of line) {
    if (RTL_CHAR.test(char)) return true;
    if (STRONG_CHAR.test(char)) return false;
  }
  return false;
}

type Piece = { font: Font; text: string } | { file: string };

function shapeWord(word: string, stack: FontStack, missing: Set<string>): ShapedWord {
  const pieces = piecesOf(word, stack, missing);
  if (isRtl(word)) pieces.reverse();
  const items: ShapedWord['items'] = [];
  let pen = 0;
  for (const piece of pieces) {
    if ('file' in piece) {
      items.push({ kind: 'emoji', file: piece.file, x: pen + (EMOJI_ADVANCE - EMOJI_SIZE) / 2 });
      pen += EMOJI_ADVANCE;
      continue;
    }
    const { font, text } = piece;
    const run = font.layout(text, undefined, undefined, undefined, RTL_CHAR.test(text) ? 'rtl' : 'ltr');
    const em = font.unitsPerEm;
    run.glyphs.forEach((glyph, i) => {
      const pos = run.positions[i];
      if (!pos) return;
      items.push({ kind: 'glyph', glyph, unitsPerEm: em, x: pen + pos.xOffset / em, y: pos.yOffset / em });
      pen += pos.xAdvance / em;
    });
  }
  return { text: word, width: pen, items };
}

/** Consecutive graphemes drawn by the same face become one run, so kerning and joining apply. */
function piecesOf(word: string, stack: FontStack, missing: Set<string>): Piece[] {
  const pieces: Piece[] = [];
  for (const { segment } of graphemes.segment(word)) {
    const file = emojiFile(segment);
    const font = prefersEmoji(segment) && file ? undefined : fontFor(stack, segment);
    const last = pieces.at(-1);
    if (font) {
      if (last && 'font' in last && last.font === font) last.text += segment;
      else pieces.push({ font, text: segment });
    } else if (file) {
      pieces.push({ file });
    } else {
      missing.add(segment);
    }
  }
  return pieces;
}
