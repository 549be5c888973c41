import { lineWidth, wrapBalanced, type Measured } from './wrap.js';

export interface TextLine<T> {
  words: T[];
  rtl: boolean;
  /** Set on the last line of a cut text: drawn right after the last word, without a space. */
  ellipsis?: T;
}

export interface FitTextOptions {
  /** Room for the text block, in px. */
  maxWidth: number;
  maxHeight: number;
  /** Font sizes in px: the preferred one, and the floor under which the text is cut instead. */
  size: number;
  minSize: number;
  /** Line advance as a multiple of the font size. */
  lineHeight: number;
  maxLines: number;
  /** Width of a space, in em. */
  spaceWidth: number;
}

export interface FittedText<T> {
  size: number;
  lines: TextLine<T>[];
  /** The text did not fit even at the floor size: lines were cut and the last ends in the ellipsis. */
  truncated: boolean;
}

/**
 * The largest font size, from `size` down to `minSize` in 1 px steps, at which the paragraphs
 * (word widths in em; one without words is a blank line) wrap into at most `maxLines` lines within the box; at the floor, keep the
 * lines that fit and end the last with `ellipsis`.
 */
export function fitText<T extends Measured>(
  paragraphs: readonly { words: readonly T[]; rtl: boolean }[],
  ellipsis: T,
  o: FitTextOptions,
): FittedText<T> {
  const widest = Math.max(0, ...paragraphs.flatMap((p) => p.words.map((w) => w.width)));
  for (let size = Math.floor(o.size); size >= o.minSize; size--) {
    const lines = wrapAll(paragraphs, o.spaceWidth, o.maxWidth / size);
    if (widest * size <= o.maxWidth && lines.length <= maxLinesAt(size, o)) return { size, lines, truncated: false };
  }
  const size = Math.ceil(o.minSize);
  const lines = wrapAll(paragraphs, o.spaceWidth, o.maxWidth / size);
  const kept = lines.slice(0, maxLinesAt(size, o));
  // A cut text ends on its last line of words, not on a blank line.
  while (kept.length > 1 && kept.at(-1)?.words.length === 0) kept.pop();
  const last = kept.at(-1);
  if (!last || kept.length === lines.length) return { size, lines, truncated: false };
  const words = [...last.words];
  while (words.length > 1 && (lineWidth(words, o.spaceWidth) + ellipsis.width) * size > o.maxWidth) words.pop();
  kept[kept.length - 1] = { words, rtl: last.rtl, ellipsis };
  return { size, lines: kept, truncated: true };
}

function maxLinesAt(size: number, o: FitTextOptions): number {
  return Math.min(o.maxLines, Math.max(1, Math.floor(o.maxHeight / (size * o.lineHeight))));
}

function wrapAll<T extends Measured>(
  paragraphs: readonly { words: readonly T[]; rtl: boolean }[],
  spaceWidth: number,
  maxWidth: number,
): TextLine<T>[] {
  return paragraphs.flatMap((p) =>
    p.words.length === 0 ? [{ words: [], rtl: p.rtl }] : wrapBalanced(p.words, spaceWidth, maxWidth).map((words) => ({ words, rtl: p.rtl })),
  );
}
