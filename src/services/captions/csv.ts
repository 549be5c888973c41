import { CsvError, parse } from 'csv-parse/sync';

/** The separators a spreadsheet writes: `,`, or `;` where the comma is the decimal mark (Excel in most of Europe). */
const DELIMITERS = [',', ';'] as const;

export interface CsvRow {
  fields: string[];
  /** The file's line the row ends on, for messages. */
  line: number;
}

export interface CsvTable {
  delimiter: (typeof DELIMITERS)[number];
  rows: CsvRow[];
}

/**
 * RFC 4180 rows (quoted fields may hold separators, `""` and line breaks; blank lines are skipped),
 * separated by whichever of `,` and `;` gives every row `columns` fields; when both do, the one the
 * first line uses first. When neither does, the rows as that first one splits them, for the caller
 * to name the row that is off.
 */
export function parseCsv(text: string, columns: number): CsvTable {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const byFirstUse = [...DELIMITERS].sort((a, b) => position(firstLine, a) - position(firstLine, b));
  const tables = byFirstUse.map((delimiter) => attempt(text, delimiter));
  const fitting = tables.find((t): t is CsvTable => !(t instanceof Error) && t.rows.every((r) => r.fields.length === columns));
  const chosen = fitting ?? tables[0];
  if (chosen === undefined || chosen instanceof Error) throw chosen;
  return chosen;
}

const position = (line: string, delimiter: string) => {
  const at = line.indexOf(delimiter);
  return at === -1 ? line.length : at;
};

function attempt(text: string, delimiter: CsvTable['delimiter']): CsvTable | Error {
  try {
    const records = parse(text, {
      delimiter,
      record_delimiter: ['\r\n', '\n'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return { delimiter, rows: records.map(({ record, info }) => ({ fields: record, line: info.lines })) };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const problem = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : error.message;
    return new Error(line === undefined ? problem : `${problem} (line ${line})`, { cause: error });
  }
}
