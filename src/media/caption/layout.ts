import { safeZone, type Box, type Canvas } from '../canvas.js';
import { visualOrder, type BidiWord, type LeveledRun } from './bidi.js';
import type { FittedText, TextLine } from './fitText.js';
import { hasBox, LOOK, type CaptionAlign, type CaptionPosition, type CaptionStyle } from './look.js';
import { lineWidth } from './wrap.js';

export interface PlacedRun<R> {
  run: R;
  /** Left edge of the run, px. */
  x: number;
}

export interface PlacedLine<R> {
  /** In visual order, left to right. */
  runs: PlacedRun<R>[];
  baseline: number;
  /** The line's measured extent (ink, no padding), px. */
  box: Box;
}

export interface PlacedCaption<R> {
  size: number;
  lines: PlacedLine<R>[];
}

/** The box the text block may fill: the safe zone less room for the stroke, box or shadow. */
export function textArea(canvas: Canvas, size: number): Box {
  const safe = safeZone(canvas);
  const pad = Math.ceil(LOOK.paddingOfSize * size);
  return { left: safe.left + pad, top: safe.top + pad, width: safe.width - 2 * pad, height: safe.height - 2 * pad };
}

/**
 * Line advance as a multiple of the font size: TikTok's for the style (taller for full-width CJK
 * glyphs), opened up by however far the caption's glyphs reach below the primary face's descent,
 * so they never touch the next line.
 */
export function lineHeight(style: CaptionStyle, depth: number, primaryDescent: number, fullWidth = false): number {
  const boxed = hasBox(style);
  const base = fullWidth
    ? boxed
      ? LOOK.fullWidthBoxLineHeight
      : LOOK.fullWidthLineHeight
    : boxed
      ? LOOK.boxLineHeight
      : LOOK.lineHeight;
  return base + Math.max(0, depth - primaryDescent);
}

/**
 * Where each line and run goes: the block at the top, centre or bottom of the text area, each
 * line against its left or right edge, or centred on the canvas (nudged in where TikTok's
 * right-hand buttons would cover it), its runs in bidi visual order, baselines set so capitals
 * sit in the middle of their line.
 */
export function placeCaption<R extends LeveledRun>(
  fitted: FittedText<BidiWord<R>>,
  o: { canvas: Canvas; position: CaptionPosition; align?: CaptionAlign; lineHeight: number; spaceWidth: number; capHeight: number },
): PlacedCaption<R> {
  const { size, lines } = fitted;
  const area = textArea(o.canvas, size);
  const advance = o.lineHeight * size;
  const blockHeight = advance * lines.length;
  const blockTop =
    o.position === 'top'
      ? area.top
      : o.position === 'bottom'
        ? area.top + area.height - blockHeight
        : area.top + (area.height - blockHeight) / 2;
  return {
    size,
    lines: lines.map((line, i) => {
      const { lead, trail } = lineBlanks(line);
      const width = (lineWidth(line.words, o.spaceWidth) + (line.ellipsis?.width ?? 0)) * size - (lead + trail) * size;
      const left = lineLeft(width, area, o.canvas, o.align ?? 'center');
      const top = blockTop + i * advance;
      let x = left - lead * size;
      const runs: PlacedRun<R>[] = [];
      for (const piece of visualOrder(logicalPieces(line, o.spaceWidth))) {
        if (piece.run) runs.push({ run: piece.run, x });
        x += piece.width * size;
      }
      return { runs, baseline: top + advance / 2 + (o.capHeight * size) / 2, box: { left, top, width, height: advance } };
    }),
  };
}

/** The full-width punctuation blank a left-to-right line starts and ends with, em: lines align on their ink, as CJK typesetting does. */
function lineBlanks<R extends LeveledRun>(line: TextLine<BidiWord<R>>): { lead: number; trail: number } {
  if (line.rtl) return { lead: 0, trail: 0 };
  return { lead: line.words[0]?.blankBefore ?? 0, trail: line.ellipsis ? 0 : (line.words.at(-1)?.blankAfter ?? 0) };
}

/** A line's runs and the spaces between its words, in reading order; the ellipsis ends it at the line's own level. */
function logicalPieces<R extends LeveledRun>(line: TextLine<BidiWord<R>>, spaceWidth: number): { level: number; width: number; run?: R }[] {
  const base = line.rtl ? 1 : 0;
  const pieces = line.words.flatMap((word, i) => [
    ...(i > 0 && !word.joined ? [{ level: line.words[i - 1]?.spaceLevel ?? base, width: spaceWidth }] : []),
    ...word.runs.map((run) => ({ level: run.level, width: run.width, run })),
  ]);
  const ellipsis = line.ellipsis?.runs.map((run) => ({ level: base, width: run.width, run })) ?? [];
  return [...pieces, ...ellipsis];
}

function lineLeft(width: number, area: Box, canvas: Canvas, align: CaptionAlign): number {
  const rightmost = area.left + area.width - width;
  if (align === 'left') return area.left;
  if (align === 'right') return rightmost;
  return clamp(canvas.width / 2 - width / 2, area.left, rightmost);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
