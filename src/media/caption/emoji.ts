import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Twemoji names each file by its code points in hex joined by '-', keeping U+FE0F only in some
 * sequences. Index every file by its name without FE0F so any spelling of a sequence finds it.
 */
let index: Map<string, string> | undefined;

function twemojiIndex(): Map<string, string> {
  if (index) return index;
  const folder = dirname(require.resolve('@twemoji/svg/package.json'));
  index = new Map();
  for (const name of readdirSync(folder)) {
    if (name.endsWith('.svg')) index.set(withoutVs16(name.slice(0, -4)), join(folder, name));
  }
  return index;
}

function withoutVs16(key: string): string {
  return key
    .split('-')
    .filter((part) => part !== 'fe0f')
    .join('-');
}

/** The Twemoji key of a grapheme cluster: its code points in hex, FE0F left out. */
export function emojiKey(cluster: string): string {
  return withoutVs16([...cluster].map((c) => (c.codePointAt(0) ?? 0).toString(16)).join('-'));
}

/** The Twemoji SVG file drawing `cluster`, if there is one. */
export function emojiFile(cluster: string): string | undefined {
  return twemojiIndex().get(emojiKey(cluster));
}

const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\p{Regional_Indicator}|\u{fe0f}|\u{20e3}|\u{200d}/u;

/**
 * Whether `cluster` asks to be drawn as a picture: emoji-presentation characters, flags, keycaps,
 * ZWJ sequences, or anything with VS16. Text-presentation symbols (©, ↔) are left to the font.
 */
export function prefersEmoji(cluster: string): boolean {
  return EMOJI_PRESENTATION.test(cluster);
}

const svgCache = new Map<string, Promise<string>>();

/** The inner markup (36x36 units, the outer <svg> removed) of each emoji file, cached. */
export async function loadEmojiMarkup(files: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(files)];
  const markup = await Promise.all(unique.map((file) => cachedMarkup(file)));
  return new Map(unique.map((file, i) => [file, markup[i] ?? '']));
}

function cachedMarkup(file: string): Promise<string> {
  let markup = svgCache.get(file);
  if (!markup) {
    markup = readFile(file, 'utf8').then((svg) => svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, ''));
    svgCache.set(file, markup);
  }
  return markup;
}

/** Emoji markup with its ids prefixed, so two copies in one caption never share an id. */
export function withIdPrefix(markup: string, prefix: string): string {
  return markup
    .replace(/id="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`);
}
