import decompress from 'wawoff2/decompress.js';

let unpacking: Promise<unknown> = Promise.resolve();

/**
 * The TrueType font a WOFF2 file packs. wawoff2 hands back a view into its WebAssembly heap,
 * which its next call overwrites: calls run one at a time, each copied out before the next.
 */
export function unpackWoff2(woff2: Uint8Array): Promise<Buffer> {
  const unpacked = unpacking.then(async () => Buffer.from(await decompress(woff2)));
  unpacking = unpacked.catch(() => undefined);
  return unpacked;
}
