import stringWidth from 'string-width';

/** Rows as aligned columns by the cells' width on a terminal (an emoji or a CJK character takes two), without trailing spaces. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => stringWidth(r[c] ?? '')))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => cell + ' '.repeat((widths[c] ?? 0) - stringWidth(cell)))
      .join('  ')
      .trimEnd(),
  );
}
