import type { Font, Glyph } from 'fontkit';
import { embeddingLevels, mirrored, type BidiWord, type LeveledRun } from './bidi.js';
import { breakUnits } from './breaks.js';
import { emojiFile, prefersEmoji } from './emoji.js';
import { fontFor, type FontStack } from './fonts.js';

/** Sizes here are in em: multiply by the font size in pixels to draw. */
export interface GlyphItem {
  kind: 'glyph';
  glyph: Glyph;
  unitsPerEm: number;
  /** Pen position from the run's left edge, and the vertical offset (up is positive). */
  x: number;
  y: number;
}

export interface EmojiItem {
  kind: 'emoji';
  file: string;
  x: number;
}

/** Glyphs of one face (or one emoji) at one bidi level, in visual order, left to right. */
export interface ShapedRun extends LeveledRun {
  items: (GlyphItem | EmojiItem)[];
}

export interface ShapedWord extends BidiWord<ShapedRun> {
  text: string;
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
  /** How far the deepest glyph reaches below the baseline, em: Arabic dots go deeper than Latin descenders. */
  depth: number;
  /** Characters no face in the stack nor Twemoji can draw: they are left out and named in a warning. */
  missing: string[];
}

/** Emoji are drawn one em square, with a little room on each side. */
export const EMOJI_SIZE = 1;
const EMOJI_ADVANCE = 1.12;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits a caption into paragraphs (line breaks; a blank line is a paragraph without words) and
 * words (spaces, and the breaks of scripts written without them: `breakUnits`); each word is cut
 * into runs of one face and one bidi level, shaped by the face (Arabic joining, ligatures, kerning).
 */
export function shapeCaption(text: string, stack: FontStack): ShapedCaption {
  const primary = stack[0];
  if (!primary) throw new Error('empty font stack');
  const missing = new Set<string>();
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line): ShapedParagraph => (line.trim() === '' ? { words: [], rtl: false } : shapeParagraph(line.trim(), stack, missing)));
  // A blank line between two lines of text stays (one, however many were typed): the gap a
  // creator typed it for. Blank lines before or after the text go.
  const hasWords = (p: ShapedParagraph | undefined) => (p?.words.length ?? 0) > 0;
  const paragraphs = lines.filter((p, i) => hasWords(p) || (hasWords(lines[i - 1]) && lines.slice(i + 1).some(hasWords)));
  const glyphs = paragraphs.flatMap((p) => p.words.flatMap((w) => w.runs.flatMap((r) => r.items)));
  return {
    paragraphs,
    spaceWidth: primary.glyphForCodePoint(0x20).advanceWidth / primary.unitsPerEm,
    ellipsis: shapeParagraph('…', stack, missing).words[0] ?? { text: '…', width: 0, runs: [], spaceLevel: 0 },
    depth: Math.max(0, ...glyphs.map((i) => (i.kind === 'glyph' ? -(i.glyph.bbox.minY / i.unitsPerEm + i.y) : 0))),
    missing: [...missing],
  };
}

function shapeParagraph(line: string, stack: FontStack, missing: Set<string>): ShapedParagraph {
  const { levels, base } = embeddingLevels(line);
  const words: ShapedWord[] = [];
  for (const match of line.matchAll(/\S+/g)) {
    let joined = false;
    for (const unit of breakUnits(match[0])) {
      const start = match.index + unit.start;
      const end = start + unit.text.length;
      const runs = piecesOf(unit.text, start, levels, stack, missing).map(shapeRun);
      if (runs.length === 0) continue;
      words.push({
        text: unit.text,
        width: runs.reduce((sum, r) => sum + r.width, 0),
        runs,
        spaceLevel: end < line.length ? (levels[end] ?? base) : base,
        ...(joined ? { joined } : {}),
        ...punctuationBlanks(unit.text, runs),
      });
      joined = true;
    }
  }
  return { words, rtl: base % 2 === 1 };
}

const OPENS_FULL_WIDTH = /^[「『（【〔〈《〘〖｛［〝]/u;
const CLOSES_FULL_WIDTH = /[、。，．」』）】〕〉》〙〗｝］〟！？：；]$/u;

/** The blank half of a full-width 「 starting a word or 。 ending it, em, measured from its glyph's ink. */
function punctuationBlanks(text: string, runs: ShapedRun[]): { blankBefore?: number; blankAfter?: number } {
  const blanks: { blankBefore?: number; blankAfter?: number } = {};
  const first = runs[0]?.items[0];
  if (OPENS_FULL_WIDTH.test(text) && first?.kind === 'glyph') {
    blanks.blankBefore = Math.max(0, first.x + first.glyph.bbox.minX / first.unitsPerEm);
  }
  const lastRun = runs.at(-1);
  const last = lastRun?.items.at(-1);
  if (CLOSES_FULL_WIDTH.test(text) && lastRun && last?.kind === 'glyph') {
    blanks.blankAfter = Math.max(0, lastRun.width - (last.x + last.glyph.bbox.maxX / last.unitsPerEm));
  }
  return blanks;
}

type Piece = { level: number } & ({ font: Font; text: string } | { file: string });

/** Consecutive graphemes drawn by the same face at the same level become one run, so kerning and joining apply. */
function piecesOf(word: string, offset: number, levels: Uint8Array, stack: FontStack, missing: Set<string>): Piece[] {
  const pieces: Piece[] = [];
  for (const { segment, index } of graphemes.segment(word)) {
    const level = levels[offset + index] ?? 0;
    const file = emojiFile(segment);
    const font = prefersEmoji(segment) && file ? undefined : fontFor(stack, segment);
    const last = pieces.at(-1);
    if (font) {
      if (last && 'font' in last && last.font === font && last.level === level) last.text += segment;
      else pieces.push({ level, font, text: segment });
    } else if (file) {
      pieces.push({ level, file });
    } else {
      missing.add(segment);
    }
  }
  return pieces;
}

function shapeRun(piece: Piece): ShapedRun {
  const { level } = piece;
  if ('file' in piece) {
    return { level, width: EMOJI_ADVANCE, items: [{ kind: 'emoji', file: piece.file, x: (EMOJI_ADVANCE - EMOJI_SIZE) / 2 }] };
  }
  const { font } = piece;
  const rtl = level % 2 === 1;
  const run = font.layout(rtl ? mirrored(piece.text) : piece.text, undefined, undefined, undefined, rtl ? 'rtl' : 'ltr');
  const em = font.unitsPerEm;
  const items: GlyphItem[] = [];
  let pen = 0;
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i];
    if (!pos) return;
    items.push({ kind: 'glyph', glyph, unitsPerEm: em, x: pen + pos.xOffset / em, y: pos.yOffset / em });
    pen += pos.xAdvance / em;
  });
  return { level, width: pen, items };
}
