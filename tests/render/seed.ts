/** Real photos, uploaded to Sources and put in an active session through the backend, for the render tests. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Backend } from '../../src/db/backend.js';
import type { MediaSession, SourceFile } from '../../src/db/types.js';

const PALETTES = [
  ['#2b2d6e', '#e9637a', '#ffc36b'],
  ['#0b3d2e', '#3fa37a', '#d8f3a4'],
  ['#1b1f4b', '#5f6fff', '#b9f3ff'],
  ['#4a1033', '#ff5f8f', '#ffe0a3'],
] as const;

/** A small landscape photo stand-in: a three-stop gradient with a sun and a hill, different per index. */
export async function writePhoto(dir: string, index: number): Promise<string> {
  const [a, b, c] = PALETTES[index % PALETTES.length] as readonly [string, string, string];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="0.6" stop-color="${b}"/><stop offset="1" stop-color="${c}"/></linearGradient></defs>
<rect width="640" height="480" fill="url(#g)"/><circle cx="${200 + index * 80}" cy="230" r="70" fill="${c}"/>
<path d="M0 400 L180 280 L340 380 L520 260 L640 340 L640 480 L0 480 Z" fill="${a}"/></svg>`;
  const path = join(dir, `photo-${index + 1}.jpg`);
  await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(path);
  return path;
}

export async function addSource(backend: Backend, file: string, type: 'image' | 'video' = 'image'): Promise<SourceFile> {
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const ext = type === 'image' ? 'jpg' : 'mp4';
  const key = `${backend.identity.userId}/${sha256}.${ext}`;
  await backend.storage.upload('Sources', key, { data: bytes }, { contentType: type === 'image' ? 'image/jpeg' : 'video/mp4', upsert: true });
  const [row] = await backend.rows.insert('source_files', [
    { file_path: key, file_type: type, sha256, original_name: file.split('/').pop() ?? null, size_bytes: bytes.length },
  ]);
  if (!row) throw new Error('no source row');
  return row;
}

export async function createSession(
  backend: Backend,
  sources: readonly SourceFile[],
  o: { captions?: (string | null)[]; frequency?: number; maxPerDay?: number | null; perGroup?: number | null } = {},
): Promise<MediaSession> {
  return backend.rows.rpc<MediaSession>('slides_create_session', {
    p_frequency: o.frequency ?? 3,
    p_max_per_day: o.maxPerDay === undefined ? 3 : o.maxPerDay,
    p_per_group: o.perGroup ?? null,
    p_items: sources.map((s, i) => ({
      source_file_id: s.id,
      position: i,
      generated_caption: o.captions?.[i] ?? null,
      media_type: s.file_type,
    })),
    p_replace_active: true,
  });
}
