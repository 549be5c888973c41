/** jpegHeader against libvips on real JPEGs: the same upright size, or no answer, never another; then readMetadata's use of it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jpegHeader } from '../../src/media/jpegHeader.js';
import { readMetadata } from '../../src/media/metadata.js';

async function jpeg(o: { width?: number; height?: number; orientation?: number; progressive?: boolean; icc?: boolean } = {}): Promise<Buffer> {
  const width = o.width ?? 96;
  const height = o.height ?? 64;
  let image = sharp({ create: { width, height, channels: 3, background: '#3a7' } }).jpeg({ quality: 80, progressive: o.progressive ?? false });
  if (o.orientation) image = image.withMetadata({ orientation: o.orientation });
  if (o.icc) image = image.withIccProfile('p3');
  return image.toBuffer();
}

async function libvips(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  return { width: meta.autoOrient.width, height: meta.autoOrient.height, orientation: meta.orientation ?? 1 };
}

/** A segment (marker, then its length and `body`) put in right after SOI. */
function withSegment(bytes: Buffer, marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([bytes.subarray(0, 2), head, body, bytes.subarray(2)]);
}

/** A copy of the body of the JPEG's Exif APP1 segment. */
function exifOf(bytes: Buffer): Buffer {
  const at = bytes.indexOf(Buffer.from('Exif\0\0'));
  return Buffer.from(bytes.subarray(at, at + bytes.readUInt16BE(at - 2) - 2));
}

describe('jpegHeader', () => {
  it('reads the size and orientation libvips reads, for every orientation, baseline and progressive, with and without an ICC profile', async () => {
    for (const orientation of [undefined, 1, 2, 3, 4, 5, 6, 7, 8]) {
      for (const progressive of [false, true]) {
        const bytes = await jpeg({ width: 120, height: 50, orientation, progressive, icc: orientation === 6 });
        expect(jpegHeader(bytes)).toEqual(await libvips(bytes));
      }
    }
    expect(jpegHeader(await jpeg({ width: 120, height: 50, orientation: 6 }))).toMatchObject({ width: 50, height: 120 });
    const base = () => sharp({ create: { width: 70, height: 30, channels: 3, background: '#a35' } });
    for (const other of [
      await base().greyscale().jpeg().toBuffer(),
      await base().toColourspace('cmyk').jpeg().toBuffer(),
      await base().jpeg({ chromaSubsampling: '4:4:4', optimiseCoding: false }).toBuffer(),
      await base().jpeg({ mozjpeg: true }).toBuffer(),
      await base().jpeg({ quality: 100, trellisQuantisation: true, overshootDeringing: true }).toBuffer(),
    ]) {
      expect(jpegHeader(other)).toEqual(await libvips(other));
    }
  });

  it('gives no answer rather than a wrong one when the header is cut anywhere', async () => {
    const bytes = await jpeg({ orientation: 8, icc: true });
    const truth = await libvips(bytes);
    const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
    const scanHeaderEnd = sos + 2 + bytes.readUInt16BE(sos + 2);
    for (let cut = 0; cut < scanHeaderEnd; cut++) expect(jpegHeader(bytes.subarray(0, cut))).toBeUndefined();
    expect(jpegHeader(bytes.subarray(0, scanHeaderEnd))).toEqual(truth);
  });

  it('answers only where libvips reads the same, for any byte of the header changed', async () => {
    const bytes = await jpeg({ orientation: 6, icc: true });
    const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
    const check = async (at: number, value: number) => {
      const changed = Buffer.from(bytes);
      changed[at] = value;
      const read = jpegHeader(changed);
      if (read !== undefined) expect({ at, value, read }).toEqual({ at, value, read: await libvips(changed).catch((e: Error) => e.message) });
    };
    // Every byte of the tables, the frame and the scan header, set to the values that break them most.
    for (let at = bytes.indexOf(Buffer.from([0xff, 0xdb])); at < sos + 14; at++) {
      for (const value of [0, 1, 0x7f, 0xff, (bytes[at] as number) ^ 1, (bytes[at] as number) ^ 0x10]) await check(at, value);
    }
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sos + 13 }), fc.integer({ min: 0, max: 255 }), check),
      { numRuns: 300 },
    );
  });

  it('leaves to libvips what is not plain: two Exif blocks, an EXIF it cannot follow, not a JPEG', async () => {
    const rotated = await jpeg({ orientation: 6 });
    const exifBody = exifOf(rotated);
    expect(jpegHeader(withSegment(rotated, 0xe1, exifBody))).toBeUndefined();
    const badOrder = Buffer.from(exifBody);
    badOrder.write('XX', 6);
    expect(jpegHeader(withSegment(await jpeg(), 0xe1, badOrder))).toBeUndefined();
    expect(jpegHeader(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer())).toBeUndefined();
    expect(jpegHeader(new Uint8Array())).toBeUndefined();
  });

  it('reads past other segments: a 60 KB APP2 before the frame', async () => {
    const bytes = withSegment(await jpeg({ width: 33, height: 77 }), 0xe2, Buffer.alloc(60_000, 7));
    expect(jpegHeader(bytes)).toEqual({ width: 33, height: 77, orientation: 1 });
    expect(await libvips(bytes)).toEqual({ width: 33, height: 77, orientation: 1 });
  });
});

describe('readMetadata of a JPEG', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slides-jpeg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const JPEG = { kind: 'image', ext: 'jpg', format: 'JPEG' } as const;
  const file = (name: string, bytes: Buffer) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };

  it('reads the upright size from the header, and from libvips when the header is not plain', async () => {
    const rotated = await jpeg({ width: 120, height: 50, orientation: 6 });
    expect(await readMetadata(file('plain.jpg', rotated), JPEG)).toEqual({ width: 50, height: 120, durationSeconds: null });
    const twice = withSegment(rotated, 0xe1, exifOf(rotated));
    expect(jpegHeader(twice)).toBeUndefined();
    expect(await readMetadata(file('twice.jpg', twice), JPEG)).toEqual({ width: 50, height: 120, durationSeconds: null });
  });

  it('refuses, in libvips words, a whole-looking JPEG whose header libvips refuses', async () => {
    const bytes = await jpeg();
    const dqt = bytes.indexOf(Buffer.from([0xff, 0xdb]));
    bytes[dqt + 4] = 0x0f;
    await expect(readMetadata(file('bad table.jpg', bytes), JPEG)).rejects.toThrow(/^not a readable JPEG image \(.*DQT/);
  });
});
