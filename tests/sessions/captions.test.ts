import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCaptionsFile } from '../../src/services/captions/captionsFile.js';
import { pickCaption } from '../../src/services/captions/pick.js';
import { resolveCaptions, type CaptionSubject } from '../../src/services/captions/resolve.js';
import { readSidecarCaption } from '../../src/services/captions/sidecar.js';
import { checkTemplate, fillTemplate } from '../../src/services/captions/template.js';
import { userMessage, warningText } from '../../src/cli/settingFlags.js';
import { exitCodeOf, UsageError } from '../../src/errors.js';
import { writeText } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slides-captions-'));
});

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('expected a usage error'),
    (e: unknown) => e as UsageError,
  );

/** Strings whose bytes must survive unchanged: emoji sequences, NFD and NFC accents, Arabic and Hebrew with marks. */
const EXACT = [
  'sunrise 🌅 with 👩🏽‍💻 and 🏳️‍🌈',
  'Cafe\u0301 in Lisbon',
  'Café in Lisbon',
  'صباح الخير \u200Fيا أصدقاء',
  'שלום עולם',
];

describe('pickCaption', () => {
  it('picks the same alternative for the same group number, every time', () => {
    const caption = 'morning walk | sunrise run | first light';
    for (const group of [1, 2, 3, 4, 17]) expect(pickCaption(caption, group)).toBe(pickCaption(caption, group));
  });

  it('gives consecutive groups different alternatives and comes round again', () => {
    const caption = 'morning walk | sunrise run | first light';
    expect([1, 2, 3, 4, 5, 6].map((g) => pickCaption(caption, g))).toEqual([
      'morning walk',
      'sunrise run',
      'first light',
      'morning walk',
      'sunrise run',
      'first light',
    ]);
  });

  it('leaves a caption without alternatives, and no caption, alone', () => {
    expect(pickCaption('just one', 9)).toBe('just one');
    expect(pickCaption(null, 3)).toBeNull();
    expect(pickCaption('a|b', 2)).toBe('a|b');
  });

  it('keeps every alternative byte for byte', () => {
    const caption = EXACT.join(' | ');
    EXACT.forEach((text, i) => {
      const picked = pickCaption(caption, i + 1);
      expect(picked).toBe(text);
      expect(Buffer.from(picked)).toEqual(Buffer.from(text));
    });
  });
});

describe('caption templates', () => {
  it('fills {n}, {total}, {name} and {file}', () => {
    expect(fillTemplate('Day {n} of {total}: {name} ({file})', { n: 2, total: 7, file: 'beach.day.jpg' })).toBe(
      'Day 2 of 7: beach.day (beach.day.jpg)',
    );
  });

  it('refuses an unknown placeholder, naming it and the flag', () => {
    const error = (() => {
      try {
        checkTemplate('Day {day}');
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeOf(error)).toBe(2);
    expect(userMessage(error)).toMatch(/^--caption-template "Day \{day\}": unknown placeholder \{day\}/);
  });
});

describe('captions files', () => {
  it('reads one caption per line, keeping text exactly and leaving blank lines to the next source', async () => {
    const file = writeText(join(dir, 'captions.txt'), `\uFEFF${EXACT[0]}\r\n\n${EXACT[1]}\n${EXACT[3]}\n\n`);
    expect(await readCaptionsFile(file)).toEqual({ kind: 'lines', file, lines: [EXACT[0], null, EXACT[1], EXACT[3]] });
  });

  it('reads a JSON object of file name → caption', async () => {
    const file = writeText(join(dir, 'c.json'), JSON.stringify({ 'a.jpg': EXACT[0], 'b.jpg': EXACT[2] }));
    const parsed = await readCaptionsFile(file);
    expect(parsed.kind === 'mapping' && Object.fromEntries(parsed.byName)).toEqual({ 'a.jpg': EXACT[0], 'b.jpg': EXACT[2] });
  });

  it('reads a CSV of file,caption with an optional header and quoted commas, quotes and line breaks', async () => {
    const file = writeText(join(dir, 'c.csv'), `file,caption\r\na.jpg,"sun, sea ""and"" sand"\nb.jpg,"two\nlines"\nc.jpg,${EXACT[4]}\n`);
    const parsed = await readCaptionsFile(file);
    expect(parsed.kind === 'mapping' && Object.fromEntries(parsed.byName)).toEqual({
      'a.jpg': 'sun, sea "and" sand',
      'b.jpg': 'two\nlines',
      'c.jpg': EXACT[4],
    });
  });

  it.each([
    ['missing.txt', null, /does not exist/],
    ['empty.txt', '\n\n', /has no captions/],
    ['bad.json', '{"a.jpg": ', /not valid JSON/],
    ['list.json', '["a", "b"]', /must be a JSON object/],
    ['number.json', '{"a.jpg": 3}', /"a\.jpg" is not a string/],
    ['wide.csv', 'a.jpg,one,two\n', /line 1 has 3 columns/],
    ['open.csv', 'a.jpg,"never closed\n', /never closed/],
    ['latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), /not UTF-8/],
  ] as const)('refuses %s with a usage error naming the captions setting (--captions) and the file', async (name, content, message) => {
    const file = join(dir, name);
    if (content !== null) writeText(file, content);
    const error = await rejection(readCaptionsFile(file));
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeOf(error)).toBe(2);
    expect(error).toMatchObject({ field: 'captions', value: file });
    expect(userMessage(error)).toContain(`--captions ${file}: `);
    expect(userMessage(error)).toMatch(message);
  });
});

describe('sidecar captions', () => {
  it('prefers photo.jpg.txt to photo.txt and keeps the text exactly, minus the last line break', async () => {
    const photo = join(dir, 'photo.jpg');
    writeText(join(dir, 'photo.txt'), 'the stem one');
    expect(await readSidecarCaption(photo)).toBe('the stem one');
    writeText(join(dir, 'photo.jpg.txt'), `\uFEFF${EXACT[0]}\n${EXACT[3]}\n`);
    expect(await readSidecarCaption(photo)).toBe(`${EXACT[0]}\n${EXACT[3]}`);
  });

  it('is null when there is none or it is empty', async () => {
    expect(await readSidecarCaption(join(dir, 'lonely.jpg'))).toBeNull();
    writeText(join(dir, 'blank.png.txt'), '\n');
    expect(await readSidecarCaption(join(dir, 'blank.png'))).toBeNull();
  });
});

describe('caption precedence', () => {
  const subjects = (n: number): CaptionSubject[] =>
    Array.from({ length: n }, (_, i) => ({ name: `p${i + 1}.jpg`, sourceFileId: `id-${i + 1}` }));

  it('explicit beats sidecar beats captions file beats template', async () => {
    const file = await readCaptionsFile(writeText(join(dir, 'c.txt'), 'file 1\nfile 2\nfile 3\n'));
    const items = subjects(4);
    items[0] = { ...items[0]!, explicit: 'typed', sidecar: 'beside' };
    items[1] = { ...items[1]!, sidecar: 'beside' };
    const { captions, warnings } = resolveCaptions(items, { file, template: 'Day {n} of {total}' });
    expect(captions).toEqual([
      { caption: 'typed', origin: 'explicit' },
      { caption: 'beside', origin: 'sidecar' },
      { caption: 'file 3', origin: 'file' },
      { caption: 'Day 4 of 4', origin: 'template' },
    ]);
    expect(warnings.map(warningText)).toEqual([`--captions ${file.file} has 3 lines for 4 items: item 4 is captioned by the template "Day {n} of {total}"`]);
  });

  it('says when a captions file is short and nothing fills the rest', async () => {
    const file = await readCaptionsFile(writeText(join(dir, 'c.txt'), 'one\ntwo\n'));
    const { captions, warnings } = resolveCaptions(subjects(5), { file });
    expect(captions.map((c) => c.origin)).toEqual(['file', 'file', 'none', 'none', 'none']);
    expect(warnings[0]).toEqual({
      about: { field: 'captions', value: file.file },
      text: 'has 2 lines for 5 items: items 3–5 are left without a caption',
      fix: { verb: 'add', field: 'captionTemplate', rest: 'to fill them' },
    });
    expect(warnings.map(warningText)[0]).toBe(
      `--captions ${file.file} has 2 lines for 5 items: items 3–5 are left without a caption (add --caption-template to fill them)`,
    );
  });

  it('matches a mapping by file name or id and names the entries that match nothing', async () => {
    const file = await readCaptionsFile(writeText(join(dir, 'c.json'), JSON.stringify({ 'p1.jpg': 'one', 'id-2': 'two', 'ghost.jpg': 'boo' })));
    const { captions, warnings } = resolveCaptions(subjects(3), { file, template: '{name}!' });
    expect(captions.map((c) => c.caption)).toEqual(['one', 'two', 'p3!']);
    expect(warnings.map(warningText)).toEqual([
      `--captions ${file.file} names 1 file not in this session: ghost.jpg`,
      `--captions ${file.file} has no caption for p3.jpg: it is captioned by the template "{name}!"`,
    ]);
  });
});
