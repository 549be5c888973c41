/** Rows as aligned columns, without trailing spaces. */
export function table(rows: string[][]): string[] {
  const width = (s: string) => [...s].length;
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? '')))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => cell + ' '.repeat((widths[c] ?? 0) - width(cell)))
      .join('  ')
      .trimEnd(),
  );
}
