import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanPaths } from '../../src/services/upload/scan.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slides-scan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const named = (...parts: string[]) => join(basename(dir), ...parts);
const file = (path: string, body = 'x') => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), body);
};

describe('scanPaths', () => {
  it('lists visible files in name order, skips hidden files and folders, and counts subfolders it did not enter', async () => {
    file('b.jpg');
    file('a.jpg');
    file('.DS_Store');
    file('.thumbnails/t.jpg');
    file('day 2/c.jpg');
    const scan = await scanPaths([dir], { recursive: false });
    expect(scan.files.map((f) => f.name)).toEqual([named('a.jpg'), named('b.jpg')]);
    expect(scan.foldersNotEntered).toBe(1);
    expect(scan.skipped).toEqual([]);
  });

  it('walks subfolders with recursive, naming files by the folder given and the path inside', async () => {
    file('a.jpg');
    file('day 2/c.jpg');
    file('day 2/deeper/d.jpg');
    const scan = await scanPaths([dir], { recursive: true });
    expect(scan.files.map((f) => [f.name, f.originalName])).toEqual([
      [named('a.jpg'), 'a.jpg'],
      [named('day 2', 'c.jpg'), 'c.jpg'],
      [named('day 2', 'deeper', 'd.jpg'), 'd.jpg'],
    ]);
    expect(scan.foldersNotEntered).toBe(0);
  });

  it('stops at a symlink back to an ancestor and says so, instead of looping', async () => {
    file('a/b/photo.jpg');
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'b', 'loop'));
    const scan = await scanPaths([dir], { recursive: true });
    expect(scan.files.map((f) => f.name)).toEqual([named('a', 'b', 'photo.jpg')]);
    expect(scan.skipped).toEqual([{ name: named('a', 'b', 'loop'), reason: 'symlink back to a folder already scanned (loop not followed)' }]);
  });

  it('takes a single file as given, even a hidden one, and a file given twice once', async () => {
    file('.secret.jpg');
    const path = join(dir, '.secret.jpg');
    const scan = await scanPaths([path, path], { recursive: false });
    expect(scan.files).toEqual([{ path, name: '.secret.jpg', originalName: '.secret.jpg', size: 1, stamp: expect.objectContaining({ ino: expect.any(Number) }) }]);
  });

  it('names missing paths and broken links, and skips empty files', async () => {
    file('empty.jpg', '');
    symlinkSync(join(dir, 'gone.jpg'), join(dir, 'link.jpg'));
    const scan = await scanPaths([dir, join(dir, 'missing')], { recursive: false });
    expect(scan.files).toEqual([]);
    expect(scan.skipped).toEqual([
      { name: named('empty.jpg'), reason: 'empty file (0 bytes)' },
      { name: named('link.jpg'), reason: 'broken symlink' },
    ]);
    expect(scan.failed).toEqual([{ name: join(dir, 'missing'), reason: 'no such file or directory' }]);
  });
});
