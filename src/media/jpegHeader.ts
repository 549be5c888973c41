/** A JPEG's frame size as its header gives it, and its EXIF orientation (1 when it has none). */
export interface JpegHeader {
  width: number;
  height: number;
  orientation: number;
}

const SOI = 0xd8;
const SOS = 0xda;
const APP1 = 0xe1;
const DQT = 0xdb;
const DHT = 0xc4;
/** The frames libjpeg decodes here: baseline, extended and progressive Huffman. */
const FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** What may come between SOI and SOS besides the frame: APPn, COM, the tables, DRI. */
const isSegment = (marker: number) => (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe || marker === DQT || marker === DHT || marker === 0xdd;
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
const EXIF = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
const ORIENTATION_TAG = 0x0112;
const SHORT = 3;

interface Frame {
  width: number;
  height: number;
  components: Set<number>;
}

/**
 * The header of a JPEG from its first bytes, read as libjpeg reads it: the segments from SOI up
 * to SOS, checked for what libjpeg refuses in them (tests/media/jpeg-header.test.ts compares),
 * the frame's size from its SOF, the orientation from an Exif APP1. Undefined whenever that is
 * not plain (the header runs past `bytes`, a segment libjpeg would refuse, two frames or two
 * Exif blocks, an EXIF it cannot follow, a size left to a DNL marker): the caller then asks the
 * image library.
 */
export function jpegHeader(bytes: Uint8Array): JpegHeader | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let frame: Frame | undefined;
  let orientation: number | undefined;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (isStandalone(marker)) {
      i += 2;
      continue;
    }
    const length = view.getUint16(i + 2);
    const start = i + 4;
    const end = i + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    if (marker === SOS) {
      if (!frame || !scanFits(bytes, start, end, frame)) return undefined;
      const turned = (orientation ?? 1) >= 5;
      return { width: turned ? frame.height : frame.width, height: turned ? frame.width : frame.height, orientation: orientation ?? 1 };
    }
    if (FRAMES.has(marker)) {
      if (frame) return undefined;
      frame = frameOf(view, start, end);
      if (!frame) return undefined;
    } else if (!isSegment(marker)) return undefined;
    else if (marker === DQT && !quantTablesFit(bytes, start, end)) return undefined;
    else if (marker === DHT && !huffmanTablesFit(bytes, start, end)) return undefined;
    else if (marker === APP1 && EXIF.every((b, k) => bytes[start + k] === b)) {
      if (orientation !== undefined) return undefined;
      orientation = exifOrientation(view, start + EXIF.length, end);
      if (orientation === undefined) return undefined;
    }
    i = end;
  }
  return undefined;
}

/** SOF: 8-bit samples, 1–4 components each with sampling factors 1–4 and a table 0–3, a size given. */
function frameOf(view: DataView, start: number, end: number): Frame | undefined {
  const count = view.getUint8(start + 5);
  if (view.getUint8(start) !== 8 || count < 1 || count > 4 || end - start !== 6 + count * 3) return undefined;
  const components = new Set<number>();
  for (let c = 0; c < count; c++) {
    const at = start + 6 + c * 3;
    const sampling = view.getUint8(at + 1);
    const [h, v] = [sampling >> 4, sampling & 15];
    if (h < 1 || h > 4 || v < 1 || v > 4 || view.getUint8(at + 2) > 3 || components.has(view.getUint8(at))) return undefined;
    components.add(view.getUint8(at));
  }
  const frame = { height: view.getUint16(start + 1), width: view.getUint16(start + 3), components };
  return frame.width > 0 && frame.height > 0 ? frame : undefined;
}

/** DQT: tables 0–3 of 64 entries, 8- or 16-bit, filling the segment exactly. */
function quantTablesFit(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start;
  while (at < end) {
    const spec = bytes[at] as number;
    if ((spec & 15) > 3 || spec >> 4 > 1) return false;
    at += 1 + 64 * ((spec >> 4) + 1);
  }
  return at === end;
}

/** DHT: tables 0–3 of class 0 or 1, at most 256 codes each, filling the segment exactly. */
function huffmanTablesFit(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start;
  while (at < end) {
    const spec = bytes[at] as number;
    if ((spec & 15) > 3 || spec >> 4 > 1 || at + 17 > end) return false;
    let codes = 0;
    for (let k = 1; k <= 16; k++) codes += bytes[at + k] as number;
    if (codes > 256) return false;
    at += 17 + codes;
  }
  return at === end;
}

/** SOS: 1–4 of the frame's components, each once, with tables 0–3, and the segment's length for them. */
function scanFits(bytes: Uint8Array, start: number, end: number, frame: Frame): boolean {
  const count = bytes[start] as number;
  if (count < 1 || count > 4 || end - start !== 4 + count * 2) return false;
  const seen = new Set<number>();
  for (let c = 0; c < count; c++) {
    const id = bytes[start + 1 + c * 2] as number;
    const tables = bytes[start + 2 + c * 2] as number;
    if (!frame.components.has(id) || seen.has(id) || tables >> 4 > 3 || (tables & 15) > 3) return false;
    seen.add(id);
  }
  return true;
}

/** Tag 0x0112 of IFD0 in the TIFF block at [tiff, end): 1 when absent, undefined when the block is not plain. */
function exifOrientation(view: DataView, tiff: number, end: number): number | undefined {
  const within = (at: number, size: number) => at >= tiff && at + size <= end;
  if (!within(tiff, 8)) return undefined;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return undefined;
  const little = order === 0x4949;
  if (view.getUint16(tiff + 2, little) !== 42) return undefined;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (!within(ifd, 2)) return undefined;
  const entries = view.getUint16(ifd, little);
  if (!within(ifd + 2, entries * 12)) return undefined;
  for (let k = 0; k < entries; k++) {
    const entry = ifd + 2 + k * 12;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    if (view.getUint16(entry + 2, little) !== SHORT || view.getUint32(entry + 4, little) !== 1) return undefined;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : undefined;
  }
  return 1;
}
