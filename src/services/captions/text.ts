import { readFile } from 'node:fs/promises';
import type { SlidesError } from '../../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The error for a file that cannot be read as text, from what is wrong with it ("does not exist"). */
export type Refusal = (problem: string, options: { hint?: string; cause: unknown }) => SlidesError;

/**
 * A caption text file's contents, byte for byte as UTF-8: a leading byte-order mark is dropped,
 * nothing is normalised (NFC/NFD, emoji, right-to-left marks stay exactly as written).
 */
export async function readUtf8File(file: string, refuse: Refusal): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw refuse(reason, { cause: error });
  }
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw refuse('is not UTF-8 text', { hint: 'save it as UTF-8', cause: error });
  }
}

/** The line breaks a text editor leaves at the end of a file are not part of a caption. */
export function withoutTrailingNewlines(text: string): string {
  return text.replace(/(\r?\n)+$/, '');
}
