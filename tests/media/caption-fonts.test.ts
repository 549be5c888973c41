import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../../src/media/canvas.js';
import { drawCaption } from '../../src/media/caption/caption.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return { ...fs, readFile: vi.fn(fs.readFile) };
});

const base = { canvas: PRESETS['9:16'], style: 'outline', position: 'center' } as const;

/** The font files read so far, by file name. */
function fontsRead(): string[] {
  return vi
    .mocked(readFile)
    .mock.calls.map(([path]) => String(path).split('/').at(-1) ?? '')
    .filter((name) => name.endsWith('.woff2'));
}

describe('fallback fonts', () => {
  it('are read only when a caption uses their script, once each', async () => {
    expect((await drawCaption('day one in Lisbon ✨ 123', base)).warnings).toEqual([]);
    expect(fontsRead().some((name) => name.startsWith('tiktok-sans-latin-'))).toBe(true);
    expect(fontsRead().filter((name) => name.startsWith('noto-'))).toEqual([]);

    await drawCaption('שלום world', base);
    expect(fontsRead().filter((name) => name.startsWith('noto-'))).toEqual(['noto-sans-hebrew-hebrew-600-normal.woff2']);

    await drawCaption('مرحبا שלום', base);
    expect(fontsRead().filter((name) => name.startsWith('noto-'))).toEqual([
      'noto-sans-hebrew-hebrew-600-normal.woff2',
      'noto-sans-arabic-arabic-600-normal.woff2',
    ]);
  });

  it('read a CJK face subset by subset: only the few files holding the caption characters', async () => {
    const before = fontsRead().length;
    expect((await drawCaption('今日はありがとう 😊', base)).warnings).toEqual([]);
    const read = fontsRead().slice(before);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThanOrEqual(4);
    for (const name of read) expect(name).toMatch(/^noto-sans-jp-\d+-wght-normal\.woff2$/);

    await drawCaption('ありがとう', base);
    expect(fontsRead().length).toBe(before + read.length);
  });
});
