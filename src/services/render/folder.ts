import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Creates the group's local folder `<base>/<stamp>`, or `<stamp>-2`, `-3`… when taken (a failed
 * group's folder is kept, and a pinned clock gives every render the same stamp).
 */
export async function uniqueFolder(base: string, stamp: string): Promise<{ path: string; name: string }> {
  await mkdir(base, { recursive: true });
  for (let n = 1; ; n++) {
    const name = n === 1 ? stamp : `${stamp}-${n}`;
    const path = join(base, name);
    try {
      await mkdir(path);
      return { path, name };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
