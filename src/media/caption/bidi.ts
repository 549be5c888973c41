import bidiFactory, { type Bidi } from 'bidi-js';
import type { Measured } from './wrap.js';

/** bidi-js is CommonJS typed as an ES module: Node hands us its factory as the default export itself. */
const bidi = (bidiFactory as unknown as () => Bidi)();

/**
 * Unicode bidi embedding levels of one paragraph (odd is right-to-left), per UTF-16 code unit,
 * and the paragraph's own level: 1 when its first strong character is Hebrew, Arabic…, else 0.
 */
export function embeddingLevels(paragraph: string): { levels: Uint8Array; base: number } {
  const { levels, paragraphs } = bidi.getEmbeddingLevels(paragraph, 'auto');
  return { levels, base: paragraphs[0]?.level ?? 0 };
}

/** `text` with brackets and other mirrored characters swapped, as drawn inside a right-to-left run. */
export function mirrored(text: string): string {
  return [...text].map((char) => bidi.getMirroredCharacter(char) ?? char).join('');
}

/** A stretch of a line drawn in one direction: a shaped run, or the space between two words. */
export interface LeveledRun extends Measured {
  level: number;
}

/** A word as wrapping sees it, made of runs in logical order, with the level of the space after it. */
export interface BidiWord<R extends LeveledRun> extends Measured {
  runs: readonly R[];
  spaceLevel: number;
  /**
   * Blank inside the advance before the first glyph and after the last, em, where that glyph is
   * full-width punctuation (「 or 。): left out when the word starts or ends a line.
   */
  blankBefore?: number;
  blankAfter?: number;
}

/**
 * UAX #9 rule L2 on whole runs: from the highest level down to the lowest odd one, reverse every
 * stretch of runs at that level or above. Runs at odd levels are already shaped right to left.
 */
export function visualOrder<T extends { level: number }>(runs: readonly T[]): T[] {
  const order = [...runs];
  const levels = runs.map((r) => r.level);
  const lowestOdd = Math.min(...levels.map((l) => (l % 2 === 1 ? l : l + 1)));
  for (let level = Math.max(0, ...levels); level >= lowestOdd; level--) {
    let start = 0;
    while (start < order.length) {
      if ((order[start]?.level ?? 0) < level) {
        start++;
        continue;
      }
      let end = start;
      while (end < order.length && (order[end]?.level ?? 0) >= level) end++;
      order.splice(start, end - start, ...order.slice(start, end).reverse());
      start = end;
    }
  }
  return order;
}
