import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCaptionsFile } from '../../src/services/captions/captionsFile.js';
import { userMessage } from '../../src/cli/settingFlags.js';
import { exitCodeOf, UsageError } from '../../src/errors.js';
import { writeText } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slides-captions-csv-'));
});

async function mapping(text: string): Promise<Record<string, string>> {
  const parsed = await readCaptionsFile(writeText(join(dir, 'c.csv'), text));
  if (parsed.kind !== 'mapping') throw new Error('a .csv file is a mapping');
  return Object.fromEntries(parsed.byName);
}

describe('a --captions .csv file, comma- or semicolon-separated', () => {
  it.each([
    ['Excel in France: ; with a header, CRLF, a comma and doubled quotes in captions', 'file;caption\r\nbeach.jpg;soleil, mer\r\ndunes.jpg;"jour ""deux"""\r\n', { 'beach.jpg': 'soleil, mer', 'dunes.jpg': 'jour "deux"' }],
    ["Excel's CSV UTF-8: a byte-order mark before a ; header", '\uFEFFfile;caption\r\na.jpg;été\r\n', { 'a.jpg': 'été' }],
    ['; without a header, a quoted line break', 'a.jpg;"two\nlines"\nb.jpg;plain\n', { 'a.jpg': 'two\nlines', 'b.jpg': 'plain' }],
    ['; when a file name holds a comma', 'beach, day 1.jpg;sun, sea\n', { 'beach, day 1.jpg': 'sun, sea' }],
    [', when a caption holds a semicolon', 'a.jpg,hi; there\nb.jpg,one;two;three\n', { 'a.jpg': 'hi; there', 'b.jpg': 'one;two;three' }],
    [', with a quoted semicolon and comma', 'a.jpg,"x; y, z"\n', { 'a.jpg': 'x; y, z' }],
    ['a quote inside an unquoted caption is kept as written', 'a.jpg,say "hi" now\n', { 'a.jpg': 'say "hi" now' }],
    ['blank lines between rows are skipped', 'a.jpg;one\n\n\nb.jpg;two\n\n', { 'a.jpg': 'one', 'b.jpg': 'two' }],
    ['a blank caption leaves the item to the next source', 'a.jpg;\nb.jpg;  \nc.jpg;kept\n', { 'c.jpg': 'kept' }],
    ['no separator needed past the first line to decide', 'name,caption\na.jpg,"one; two"\n', { 'a.jpg': 'one; two' }],
  ] as const)('%s', async (_case, text, expected) => {
    expect(await mapping(text)).toEqual(expected);
  });

  it.each([
    ['three ; columns', 'a.jpg;one;two\n', /line 1 has 3 columns; expected 2 \(file;caption\)/],
    ['three , columns on the third line', 'a.jpg,ok\n\nb.jpg,x,y\n', /line 3 has 3 columns; expected 2 \(file,caption\)/],
    ['one column', 'a.jpg\n', /line 1 has 1 columns/],
    ['an unclosed quote', 'a.jpg;ok\nb.jpg;"never closed\n', /a quoted field is never closed \(line \d\)/],
  ] as const)('refuses %s with one usage error naming the captions setting (--captions) and the file', async (_case, text, message) => {
    const file = writeText(join(dir, 'bad.csv'), text);
    const error = await readCaptionsFile(file).then(
      () => expect.unreachable('expected a usage error'),
      (e: unknown) => e as UsageError,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeOf(error)).toBe(2);
    expect(error).toMatchObject({ field: 'captions', value: file });
    expect(userMessage(error)).toContain(`--captions ${file}: `);
    expect(userMessage(error)).toMatch(message);
    expect(userMessage(error)).not.toContain('\n');
  });
});
