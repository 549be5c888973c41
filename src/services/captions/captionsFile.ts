import { extname } from 'node:path';
import { UsageError } from '../../errors.js';
import { parseCsv } from './csv.js';
import { readUtf8File, withoutTrailingNewlines } from './text.js';

/**
 * A `--captions FILE`: `.json` maps file names to captions (`{"beach.jpg": "day one ☀️"}`),
 * `.csv` does the same with two columns (a `file,caption` header is optional), anything else is
 * one caption per line in the session's order. An empty or blank caption, in any of them, leaves
 * that item to the next source.
 */
export type CaptionsFile =
  | { kind: 'lines'; file: string; lines: (string | null)[] }
  | { kind: 'mapping'; file: string; byName: Map<string, string> };

export async function readCaptionsFile(file: string): Promise<CaptionsFile> {
  const text = await readUtf8File(file, '--captions');
  const ext = extname(file).toLowerCase();
  const captions = ext === '.json' ? parseJson(file, text) : ext === '.csv' ? parseCsvMapping(file, text) : parseLines(file, text);
  const size = captions.kind === 'lines' ? captions.lines.filter((l) => l !== null).length : captions.byName.size;
  if (size === 0) throw new UsageError(`--captions ${file} has no captions in it.`, { hint: FORMAT_HINT });
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
    throw new UsageError(`--captions ${file} is not valid JSON: ${(error as Error).message}`, { hint: FORMAT_HINT });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`--captions ${file} must be a JSON object mapping file names to captions.`, {
      hint: '{"beach.jpg": "day one ☀️", "dunes.jpg": "day two"}',
    });
  }
  const byName = new Map<string, string>();
  for (const [name, caption] of Object.entries(data)) {
    if (typeof caption !== 'string') {
      throw new UsageError(`--captions ${file}: the caption for ${JSON.stringify(name)} is not a string.`);
    }
    if (caption.trim() !== '') byName.set(name, caption);
  }
  return { kind: 'mapping', file, byName };
}

function parseCsvMapping(file: string, text: string): CaptionsFile {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new UsageError(`--captions ${file}: ${(error as Error).message}`, { hint: 'file,caption on each row' });
  }
  const first = rows[0];
  if (first && /^(file|filename|file name|name)$/i.test(first[0]?.trim() ?? '') && /^caption$/i.test(first[1]?.trim() ?? '')) {
    rows = rows.slice(1);
  }
  const byName = new Map<string, string>();
  rows.forEach((row, i) => {
    if (row.length === 1 && row[0] === '') return;
    const [name, caption, ...rest] = row;
    if (name === undefined || caption === undefined || rest.length > 0) {
      throw new UsageError(`--captions ${file}: row ${i + 1} has ${row.length} columns; expected 2 (file,caption).`, {
        hint: 'quote captions that contain commas: beach.jpg,"sun, sea"',
      });
    }
    if (caption.trim() !== '') byName.set(name, caption);
  });
  return { kind: 'mapping', file, byName };
}
