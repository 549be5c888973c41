import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import type { Backend } from '../../src/db/backend.js';
import type { MediaType, SourceFile } from '../../src/db/types.js';

/** Small JPEGs whose colour comes from their name, so different names are different content (sha256). */
export async function writePhotos(dir: string, names: string[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  return Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      const [r = 0, g = 0, b = 0] = createHash('sha256').update(name).digest();
      const colour = { r, g, b };
      await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).jpeg().toFile(path);
      return path;
    }),
  );
}

/** What `slides upload` leaves behind for each path: a Sources object and a source_files row. */
export async function seedUploaded(
  backend: Backend,
  paths: string[],
  options: { type?: MediaType; uploadedAt?: (i: number) => string } = {},
): Promise<SourceFile[]> {
  const uid = backend.identity.userId;
  const rows: SourceFile[] = [];
  for (const [i, path] of paths.entries()) {
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    const key = `${uid}/${sha256}.jpg`;
    await backend.storage.upload('Sources', key, { path }, { contentType: 'image/jpeg' });
    const [row] = await backend.rows.insert('source_files', [
      {
        file_path: key,
        file_type: options.type ?? 'image',
        sha256,
        original_name: basename(path),
        size_bytes: readFileSync(path).byteLength,
        width: 64,
        height: 48,
        mime_type: 'image/jpeg',
        ...(options.uploadedAt ? { uploaded_at: options.uploadedAt(i) } : {}),
      },
    ]);
    rows.push(row as SourceFile);
  }
  return rows;
}

export function writeText(path: string, text: string | Uint8Array): string {
  writeFileSync(path, text);
  return path;
}
