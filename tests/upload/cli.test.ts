/** `slides upload` through the built binary (run `npm run build` first; `npm test` does). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { clip, photo } from './fixtures.js';

let home: string;
let dir: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'slides-home-'));
  dir = mkdtempSync(join(tmpdir(), 'slides-cli-upload-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('slides upload (the binary, local backend)', () => {
  it('uploads a folder as one JSON document, re-runs as a no-op, and files list --json shows the rows', async () => {
    await photo(dir, 'a.jpg', 1);
    await photo(dir, 'b c.jpg', 2);
    await clip(dir, 'clip.mp4');
    writeFileSync(join(dir, 'readme.txt'), 'hello\n');
    const env = { SLIDES_HOME: home, NO_COLOR: '1' };

    const first = await runCli(['upload', dir, '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ counts: { uploaded: 3, existing: 0, skipped: 1, failed: 0 } });

    const again = await runCli(['upload', dir, '--json'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ counts: { uploaded: 0, existing: 3, skipped: 1, failed: 0 }, bytesSent: 0 });

    const listed = await runCli(['files', 'list', '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const files = JSON.parse(listed.stdout) as { name: string; type: string }[];
    expect(files.map((f) => [f.name, f.type]).sort()).toEqual([
      ['a.jpg', 'image'],
      ['b c.jpg', 'image'],
      ['clip.mp4', 'video'],
    ]);

    const missing = await runCli(['upload', join(dir, 'nope')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error: ${join(dir, 'nope')}: no such file or directory`);
  });
});
