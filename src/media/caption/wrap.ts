/** Anything with a measured width (em or px, as long as every argument agrees). */
export interface Measured {
  width: number;
  /**
   * Set the word right after the one before, with no space between: a CJK character, a Thai
   * word. A line may still break before it.
   */
  joined?: boolean;
}

/** The space set before `word` when it follows another on a line. */
export function gapBefore(word: Measured, spaceWidth: number): number {
  return word.joined ? 0 : spaceWidth;
}

/** Width of words set on one line with a space between each (none before a joined word). */
export function lineWidth(words: readonly Measured[], spaceWidth: number): number {
  if (words.length === 0) return 0;
  const spaces = words.slice(1).filter((w) => !w.joined).length;
  return words.reduce((sum, w) => sum + w.width, 0) + spaceWidth * spaces;
}

/** First-fit line breaking: as many words per line as fit in `maxWidth`; a word too wide stands alone. */
export function wrapGreedy<T extends Measured>(words: readonly T[], spaceWidth: number, maxWidth: number): T[][] {
  const lines: T[][] = [];
  let line: T[] = [];
  let width = 0;
  for (const word of words) {
    const next = line.length === 0 ? word.width : width + gapBefore(word, spaceWidth) + word.width;
    if (line.length > 0 && next > maxWidth) {
      lines.push(line);
      line = [word];
      width = word.width;
    } else {
      line.push(word);
      width = next;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/**
 * The same number of lines as first-fit, with the narrowest measure that still achieves it, so
 * lines come out even (no lone word on the last line) the way a designer would set a caption.
 */
export function wrapBalanced<T extends Measured>(words: readonly T[], spaceWidth: number, maxWidth: number): T[][] {
  const greedy = wrapGreedy(words, spaceWidth, maxWidth);
  if (greedy.length <= 1) return greedy;
  let lo = Math.max(...words.map((w) => w.width));
  let hi = maxWidth;
  if (lo >= hi) return greedy;
  let best = greedy;
  for (let i = 0; i < 24 && hi - lo > 1e-4; i++) {
    const mid = (lo + hi) / 2;
    const lines = wrapGreedy(words, spaceWidth, mid);
    if (lines.length <= greedy.length) {
      best = lines;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return best;
}
