import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/media/canvas.js';
import { boxPath } from '../../src/media/caption/boxPath.js';

const box = (left: number, top: number, width: number, height: number): Box => ({ left, top, width, height });

/** Every arc of a path: its radius and sweep (1 outer corner, 0 inner). */
function arcs(d: string): { r: number; sweep: number }[] {
  return [...d.matchAll(/A([\d.]+) [\d.]+ 0 0 ([01])/g)].map((m) => ({ r: Number(m[1]), sweep: Number(m[2]) }));
}
const shapes = (d: string) => d.match(/M/g)?.length ?? 0;

describe('one box around all lines', () => {
  it('one line is a rounded rectangle', () => {
    expect(boxPath([box(10, 20, 100, 40)], 10)).toBe(
      'M10 30A10 10 0 0 1 20 20L100 20A10 10 0 0 1 110 30L110 50A10 10 0 0 1 100 60L20 60A10 10 0 0 1 10 50Z',
    );
  });

  it('a wide line over a narrow one: one shape, the inner corners rounded the other way', () => {
    expect(boxPath([box(0, 0, 200, 50), box(50, 50, 100, 50)], 10)).toBe(
      'M0 10A10 10 0 0 1 10 0L190 0A10 10 0 0 1 200 10L200 40A10 10 0 0 1 190 50' +
        'L160 50A10 10 0 0 0 150 60L150 90A10 10 0 0 1 140 100L60 100A10 10 0 0 1 50 90' +
        'L50 60A10 10 0 0 0 40 50L10 50A10 10 0 0 1 0 40Z',
    );
  });

  it.each([
    { name: 'equal lines share straight sides', lines: [box(0, 0, 200, 50), box(0, 50, 200, 50), box(0, 100, 200, 50)], outer: 4, inner: 0 },
    { name: 'left-aligned lines share the left side', lines: [box(0, 0, 200, 50), box(0, 50, 120, 50)], outer: 5, inner: 1 },
    { name: 'right-aligned lines share the right side', lines: [box(80, 0, 120, 50), box(0, 50, 200, 50)], outer: 5, inner: 1 },
    { name: 'a narrow line over a wide one', lines: [box(50, 0, 100, 50), box(0, 50, 200, 50)], outer: 6, inner: 2 },
    { name: 'wide, narrow, wide', lines: [box(0, 0, 200, 50), box(50, 50, 100, 50), box(0, 100, 200, 50)], outer: 8, inner: 4 },
  ])('$name: one shape, $outer outer and $inner inner corners', ({ lines, outer, inner }) => {
    const d = boxPath(lines, 10);
    expect(shapes(d)).toBe(1);
    expect(arcs(d).filter((a) => a.sweep === 1)).toHaveLength(outer);
    expect(arcs(d).filter((a) => a.sweep === 0)).toHaveLength(inner);
  });

  it('a step narrower than two radii gets half the step on both of its corners', () => {
    const radii = arcs(boxPath([box(0, 0, 228, 50), box(14, 50, 200, 50)], 10)).map((a) => a.r);
    expect(radii).toEqual([10, 10, 7, 7, 10, 10, 7, 7]);
  });

  it('a step under one radius is squared off to the outer line, through every line it reaches', () => {
    expect(boxPath([box(0, 0, 208, 50), box(4, 50, 200, 50)], 10)).toBe(boxPath([box(0, 0, 208, 100)], 10));
    expect(boxPath([box(0, 0, 200, 50), box(0, 50, 206, 50), box(0, 100, 212, 50)], 10)).toBe(boxPath([box(0, 0, 212, 150)], 10));
    expect(arcs(boxPath([box(0, 0, 200, 50), box(0, 50, 206, 50), box(0, 100, 300, 50)], 10))).toHaveLength(6);
  });

  it('lines that do not overlap, or do not touch, are shapes of their own', () => {
    expect(shapes(boxPath([box(0, 0, 100, 50), box(150, 50, 100, 50)], 10))).toBe(2);
    expect(shapes(boxPath([box(0, 0, 100, 50), box(0, 60, 100, 50)], 10))).toBe(2);
  });

  it('no lines, or empty ones, draw nothing', () => {
    expect(boxPath([], 10)).toBe('');
    expect(boxPath([box(0, 0, 0, 50)], 10)).toBe('');
  });

  it('drawn, it covers the lines and the joins between them, and nothing more, away from corners', async () => {
    const W = 240;
    // Widths 26 px apart: every step is wider than the largest radius, so none is squared off.
    const line = fc.record({ width: fc.integer({ min: 2, max: 8 }).map((k) => k * 26), height: fc.integer({ min: 24, max: 40 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 5 }),
        fc.constantFrom('left', 'center', 'right'),
        fc.integer({ min: 0, max: 12 }),
        async (sizes, align, radius) => {
          let top = 10;
          const lines = sizes.map(({ width, height }) => {
            const left = align === 'left' ? 10 : align === 'right' ? 230 - width : (W - width) / 2;
            const b = box(left, top, width, height);
            top += height;
            return b;
          });
          const d = boxPath(lines, radius);
          expect(shapes(d)).toBe(1);
          const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${top + 10}"><path d="${d}"/></svg>`;
          const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
          const corners = lines.flatMap((b) => [
            [b.left, b.top],
            [b.left + b.width, b.top],
            [b.left, b.top + b.height],
            [b.left + b.width, b.top + b.height],
          ]);
          const wrong: string[] = [];
          for (let y = 0; y < info.height; y++) {
            for (let x = 0; x < info.width; x++) {
              const cx = x + 0.5;
              const cy = y + 0.5;
              if (corners.some(([px, py]) => Math.hypot(cx - px!, cy - py!) < radius + 1.5)) continue;
              const inLines = lines.some((b) => cx > b.left + 1 && cx < b.left + b.width - 1 && cy > b.top + 1 && cy < b.top + b.height - 1);
              const nearLines = lines.some((b) => cx > b.left - 1 && cx < b.left + b.width + 1 && cy > b.top - 1 && cy < b.top + b.height + 1);
              const alpha = data[(y * info.width + x) * 4 + 3]!;
              if (inLines ? alpha <= 200 : !nearLines && alpha >= 50) wrong.push(`${inLines ? 'uncovered' : 'covered'} ${x},${y}`);
            }
          }
          expect(wrong.slice(0, 5)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
