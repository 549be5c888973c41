declare module 'wawoff2/decompress.js' {
  /** WOFF2 bytes to the TrueType/OpenType font they pack. */
  export default function decompress(woff2: Uint8Array): Promise<Uint8Array>;
}

declare module 'traditional-or-simplified' {
  export function detect(text: string): {
    simplifiedCharacters: number;
    traditionalCharacters: number;
    detectedCharacters: 'simplified' | 'traditional';
  };
}
