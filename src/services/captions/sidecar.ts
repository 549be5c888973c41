import { access } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { UsageError } from '../../errors.js';
import { readUtf8File, withoutTrailingNewlines } from './text.js';

/** Where a source's own caption may sit: `photo.jpg.txt` first, then `photo.txt`. */
export function sidecarPaths(sourcePath: string): string[] {
  const name = basename(sourcePath);
  const stem = name.slice(0, name.length - extname(name).length);
  const dir = dirname(sourcePath);
  const paths = [join(dir, `${name}.txt`)];
  if (stem && stem !== name) paths.push(join(dir, `${stem}.txt`));
  return paths;
}

/** The caption written beside a source file, or null when there is none (or it is blank). */
export async function readSidecarCaption(sourcePath: string): Promise<string | null> {
  for (const path of sidecarPaths(sourcePath)) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const caption = withoutTrailingNewlines(await readUtf8File(path, (problem, o) => new UsageError(`the caption file ${path} ${problem}.`, o)));
    return caption.trim() === '' ? null : caption;
  }
  return null;
}
