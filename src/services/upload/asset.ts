import { access } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import type { Backend } from '../../db/backend.js';
import type { AssetType, SourceFile } from '../../db/types.js';
import { InvalidSetting, ObjectExists } from '../../errors.js';
import { loadFontStack } from '../../media/caption/fonts.js';
import { sha256File } from '../../sha256.js';
import { fetchSources, SourceUnavailable } from '../render/fetchSources.js';
import type { AssetRef } from '../render/look.js';
import { SOURCES_BUCKET } from './uploadFolder.js';

/** The look's field each asset type is set by. */
const FIELD: Record<AssetType, 'audio' | 'font'> = { audio: 'audio', font: 'font' };

const AUDIO_EXTS = new Set(['mp3', 'm4a', 'aac', 'wav', 'ogg', 'oga', 'opus', 'flac', 'mp4']);
const FONT_EXTS = new Set(['ttf', 'otf', 'woff', 'woff2', 'ttc']);

export interface StoredAsset {
  ref: AssetRef;
  /** False when the project had these bytes already. */
  uploaded: boolean;
}

/**
 * Makes a music or font file on this machine one of the project's: content-addressed in the
 * Sources bucket (`<uid>/<sha256>.<ext>`, like photos) with a source_files row of its type, once.
 */
export async function storeAsset(backend: Backend, path: string, type: AssetType): Promise<StoredAsset> {
  const field = FIELD[type];
  try {
    await access(path);
  } catch {
    throw new InvalidSetting(field, path, 'no such file');
  }
  const ext = await checkAsset(path, type);
  const sha256 = await sha256File(path);
  const [known] = await backend.rows.select('source_files', { where: { sha256 }, limit: 1 });
  if (known) return { ref: refOf(known, type, path), uploaded: false };
  const key = `${backend.identity.userId}/${sha256}.${ext}`;
  const contentType = type === 'audio' ? `audio/${ext}` : `font/${ext}`;
  try {
    await backend.storage.upload(SOURCES_BUCKET, key, { path }, { contentType });
  } catch (error) {
    if (!(error instanceof ObjectExists)) throw error;
    await backend.storage.upload(SOURCES_BUCKET, key, { path }, { contentType, upsert: true });
  }
  const [row] = await backend.rows.insert(
    'source_files',
    [{ file_path: key, file_type: type, sha256, original_name: basename(path), mime_type: contentType }],
    { onConflictIgnore: ['user_id', 'sha256'] },
  );
  const stored = row ?? (await backend.rows.select('source_files', { where: { sha256 }, limit: 1 }))[0];
  if (!stored) throw new Error(`the source_files row of ${basename(path)} is gone`);
  return { ref: refOf(stored, type, path), uploaded: Boolean(row) };
}

/**
 * A local copy of a session's asset, from the cache or the Sources bucket (fetchSources and its
 * sha256 cache): any machine rendering the session gets the same bytes.
 */
export async function fetchAsset(backend: Backend, ref: AssetRef, o: { cacheDir: string; sessionId: string }): Promise<string> {
  const [row] = await backend.rows.select('source_files', { where: { id: ref.source_file_id }, limit: 1 });
  if (!row || row.sha256 !== ref.sha256) {
    throw new SourceUnavailable(`${ref.name}, used by session ${o.sessionId.slice(0, 8)}, is no longer in your files`, {
      hint: `give the session the file again with slides session edit ${o.sessionId.slice(0, 8)}`,
    });
  }
  const [path] = await fetchSources(backend.storage, [row], { cacheDir: o.cacheDir });
  return path as string;
}

/** The extension the file's content says, after checking it is a music file or a font that can be read. */
export async function checkAsset(path: string, type: AssetType): Promise<string> {
  const field = FIELD[type];
  if (type === 'font') {
    const ext = extname(path).slice(1).toLowerCase();
    try {
      await loadFontStack(path);
    } catch (error) {
      throw new InvalidSetting(field, path, 'not a font file that can be read', { cause: error, hint: `a ${[...FONT_EXTS].join(', ')} file` });
    }
    return FONT_EXTS.has(ext) ? ext : 'ttf';
  }
  const detected = await fileTypeFromFile(path);
  if (!detected || !AUDIO_EXTS.has(detected.ext) || !(detected.mime.startsWith('audio/') || detected.ext === 'mp4')) {
    throw new InvalidSetting(field, path, 'not a music file', { hint: `${[...AUDIO_EXTS].join(', ')}` });
  }
  return detected.ext;
}

function refOf(row: SourceFile, type: AssetType, path: string): AssetRef {
  if (row.file_type !== type) {
    throw new InvalidSetting(FIELD[type], path, `these bytes are already in your files as a ${row.file_type} (${row.original_name ?? row.id})`);
  }
  return { source_file_id: row.id, sha256: row.sha256 as string, name: row.original_name ?? basename(path) };
}
