import { extname } from 'node:path';
import { InvalidSetting } from '../../errors.js';
import { parseCsv, type CsvTable } from './csv.js';
import { readUtf8File, withoutTrailingNewlines } from './text.js';

/**
 * A `--captions FILE`: `.json` maps file names to captions (`{"beach.jpg": "day one ☀️"}`),
 * `.csv` does the same with two columns, separated by `,` or `;` (a `file,caption` header is optional), anything else is
 * one caption per line in the session's order. An empty or blank caption, in any of them, leaves
 * that item to the next source.
 */
export type CaptionsFile =
  | { kind: 'lines'; file: string; lines: (string | null)[] }
  | { kind: 'mapping'; file: string; byName: Map<string, string> };

export async function readCaptionsFile(file: string): Promise<CaptionsFile> {
  const text = await readUtf8File(file, (problem, o) => new InvalidSetting('captions', file, problem, o));
  const ext = extname(file).toLowerCase();
  const captions = ext === '.json' ? parseJson(file, text) : ext === '.csv' ? parseCsvMapping(file, text) : parseLines(file, text);
  const size = captions.kind === 'lines' ? captions.lines.filter((l) => l !== null).length : captions.byName.size;
  if (size === 0) throw new InvalidSetting('captions', file, 'has no captions in it', { hint: FORMAT_HINT });
  return captions;
}

const FORMAT_HINT = 'one caption per line, or .json/.csv mapping file name → caption';

function parseLines(file: string, text: string): CaptionsFile {
  const body = withoutTrailingNewlines(text);
  const lines = body === '' ? [] : body.split(/\r?\n/).map((line) => (line.trim() === '' ? null : line));
  return { kind: 'lines', file, lines };
}

function parseJson(file: string, text: string): CaptionsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidSetting('captions', file, `is not valid JSON: ${(error as Error).message}`, { hint: FORMAT_HINT });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidSetting('captions', file, 'must be a JSON object mapping file names to captions', {
      hint: '{"beach.jpg": "day one ☀️", "dunes.jpg": "day two"}',
    });
  }
  const byName = new Map<string, string>();
  for (const [name, caption] of Object.entries(data)) {
    if (typeof caption !== 'string') {
      throw new InvalidSetting('captions', file, `the caption for ${JSON.stringify(name)} is not a string`);
    }
    if (caption.trim() !== '') byName.set(name, caption);
  }
  return { kind: 'mapping', file, byName };
}

function parseCsvMapping(file: string, text: string): CaptionsFile {
  let table: CsvTable;
  try {
    table = parseCsv(text, 2);
  } catch (error) {
    throw new InvalidSetting('captions', file, (error as Error).message, { hint: 'file,caption (or file;caption) on each row' });
  }
  const { delimiter } = table;
  let rows = table.rows;
  const first = rows[0]?.fields;
  if (first && /^(file|filename|file name|name)$/i.test(first[0]?.trim() ?? '') && /^caption$/i.test(first[1]?.trim() ?? '')) {
    rows = rows.slice(1);
  }
  const byName = new Map<string, string>();
  for (const { fields, line } of rows) {
    const [name, caption, ...rest] = fields;
    if (name === undefined || caption === undefined || rest.length > 0) {
      throw new InvalidSetting('captions', file, `line ${line} has ${fields.length} columns; expected 2 (file${delimiter}caption)`, {
        hint: `quote captions that contain ${delimiter === ',' ? 'commas' : 'semicolons'}: beach.jpg${delimiter}"sun${delimiter} sea"`,
      });
    }
    if (caption.trim() !== '') byName.set(name, caption);
  }
  return { kind: 'mapping', file, byName };
}
