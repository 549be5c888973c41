import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { unpackWoff2 } from '../../src/media/caption/woff2.js';

const require = createRequire(import.meta.url);

describe('WOFF2 subsets unpacked at once', () => {
  it('come out whole, as when unpacked one by one (wawoff2 reuses its heap between calls)', async () => {
    const files = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => readFile(require.resolve(`@fontsource-variable/noto-sans-kr/files/noto-sans-kr-${n}-wght-normal.woff2`))),
    );
    const together = await Promise.all(files.map((file) => unpackWoff2(file)));
    const oneByOne: Buffer[] = [];
    for (const file of files) oneByOne.push(await unpackWoff2(file));
    expect(new Set(oneByOne.map((b) => b.toString('base64'))).size).toBe(6);
    together.forEach((font, i) => {
      expect(font.subarray(0, 4).toString('hex')).toBe('00010000');
      expect(font.equals(oneByOne[i]!), `subset ${i + 1}`).toBe(true);
    });
  });
});
