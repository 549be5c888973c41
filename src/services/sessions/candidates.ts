import { basename } from 'node:path';
import type { Rows } from '../../db/backend.js';
import type { MediaType, SourceFile } from '../../db/types.js';
import { InvalidSetting } from '../../errors.js';

const MEDIA_TYPES: readonly MediaType[] = ['image', 'video'];
import { matchId } from './ids.js';

/** An uploaded source file offered for a session, under the name and date the user knows it by. */
export interface Candidate {
  file: SourceFile;
  name: string;
  date: Date;
  /** Where it is on this machine, when it was picked from a folder (`--from DIR`): sidecar captions sit beside it. */
  localPath?: string;
}

export function candidateOf(file: SourceFile, local?: { path: string; modified: Date }): Candidate {
  return {
    file,
    name: local ? basename(local.path) : (file.original_name ?? basename(file.file_path)),
    date: local?.modified ?? new Date(file.uploaded_at),
    localPath: local?.path,
  };
}

export async function allCandidates(rows: Rows, type?: MediaType): Promise<Candidate[]> {
  const files = await rows.select('source_files', {
    where: { file_type: type ?? { in: MEDIA_TYPES } },
    order: [{ column: 'uploaded_at' }, { column: 'id' }],
  });
  return files.map((f) => candidateOf(f));
}

/** `--files ID…`: whole ids or unique prefixes, in the order given, each once. */
export async function candidatesByIds(rows: Rows, ids: readonly string[], type?: MediaType): Promise<Candidate[]> {
  const files = await rows.select('source_files');
  const byId = new Map(files.map((f) => [f.id, f]));
  const known = [...byId.keys()];
  const chosen = new Set<string>();
  for (const given of ids) {
    chosen.add(matchId(given, known, 'file', 'slides files list shows your file ids'));
  }
  const picked = [...chosen].map((id) => byId.get(id) as SourceFile);
  const assets = picked.filter((f) => !(MEDIA_TYPES as readonly string[]).includes(f.file_type));
  if (assets.length > 0) {
    throw new InvalidSetting('files', assets.map((f) => f.id).join(', '), 'music or fonts, not photos or clips', {
      hint: 'a session takes music and a font as look settings: slides session new and slides session edit set them',
    });
  }
  const wrongType = type ? picked.filter((f) => f.file_type !== type) : [];
  if (wrongType.length > 0) {
    throw new InvalidSetting('files', wrongType.map((f) => f.id).join(', '), `${wrongType.length === 1 ? 'is not a' : 'are not'} ${type}${wrongType.length === 1 ? '' : 's'}`, {
      hint: 'leave out the type, or those ids',
    });
  }
  return picked.map((f) => candidateOf(f));
}
