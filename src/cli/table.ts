import { createRequire } from 'node:module';

type StringWidth = (text: string) => number;

let measure: StringWidth | undefined;

/**
 * Cells on a terminal. Printable ASCII is one cell a character; anything else goes to
 * string-width, loaded on first need: its Intl.Segmenter costs ~20 ms at import, which every
 * command would pay at start-up for tables that are mostly plain names.
 */
function cellWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  measure ??= (createRequire(import.meta.url)('string-width') as { default: StringWidth }).default;
  return measure(text);
}

/** Rows as aligned columns by the cells' width on a terminal (an emoji or a CJK character takes two), without trailing spaces. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => cellWidth(r[c] ?? '')))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => cell + ' '.repeat((widths[c] ?? 0) - cellWidth(cell)))
      .join('  ')
      .trimEnd(),
  );
}
