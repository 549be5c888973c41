import type { Backend } from '../../db/backend.js';
import type { SourceFile } from '../../db/types.js';
import { DatabaseError, FilesInUse, SQLSTATE, UsageError } from '../../errors.js';
import { SOURCES_BUCKET } from './uploadFolder.js';

export interface RemovedFile {
  id: string;
  name: string | null;
  key: string;
}

export interface RemoveResult {
  removed: RemovedFile[];
  /** Session items that pointed at the files, removed first with `force`. */
  sessionItemsRemoved: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const LIST_HINT = 'see the ids with: slides files list';

/**
 * Removes source files, rows then objects: a crash in between leaves an object without a row,
 * which the next upload of the same content adopts. Refuses, touching nothing, when an id is
 * unknown or a session uses a file (unless `force`, which removes those session items too and
 * closes the gaps they leave). The rows go in one transaction (slides_remove_source_files, 0004).
 */
export async function removeFiles(backend: Backend, given: string[], options: { force: boolean }): Promise<RemoveResult> {
  // Whole ids are looked up directly: listing every file could stop at PostgREST's row cap.
  const whole = given.every((id) => UUID.test(id.trim()));
  const pool = await backend.rows.select('source_files', whole ? { where: { id: { in: given.map((id) => id.trim()) } } } : {});
  const files = resolveIds(given, pool);
  const ids = files.map((f) => f.id);
  const items = await backend.rows.select('session_media_items', { where: { source_file_id: { in: ids } } });
  if (items.length > 0 && !options.force) {
    const used = files.filter((f) => items.some((i) => i.source_file_id === f.id));
    const sessions = new Set(items.map((i) => i.session_id));
    throw new FilesInUse(
      `${used.map(label).join(', ')} ${used.length === 1 ? 'is' : 'are'} used by ${sessions.size} session${sessions.size === 1 ? '' : 's'}; nothing removed`,
    );
  }
  const removal = await backend.rows
    .rpc<{ files_removed: number; items_removed: number }>('slides_remove_source_files', { p_ids: ids, p_force: options.force })
    .catch((error: unknown) => {
      // A session took one of the files between the check above and the removal.
      if (error instanceof DatabaseError && error.sqlState === SQLSTATE.foreignKeyViolation) {
        throw new FilesInUse(`${files.map(label).join(', ')}: a session started using them; nothing removed`);
      }
      throw error;
    });
  await backend.storage.remove(SOURCES_BUCKET, files.map((f) => f.file_path));
  return {
    removed: files.map((f) => ({ id: f.id, name: f.original_name, key: f.file_path })),
    sessionItemsRemoved: removal.items_removed,
  };
}

/** Whole ids or unique prefixes (the table shows 8 characters); every id not found is named at once. */
export function resolveIds(given: string[], files: SourceFile[]): SourceFile[] {
  const chosen = new Map<string, SourceFile>();
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const raw of given) {
    const wanted = raw.trim().toLowerCase();
    const matches = wanted.length >= 4 ? files.filter((f) => f.id.toLowerCase().startsWith(wanted)) : [];
    const [match] = matches;
    if (matches.length === 1 && match) chosen.set(match.id, match);
    else if (matches.length === 0) unknown.push(raw);
    else ambiguous.push(raw);
  }
  if (unknown.length > 0) {
    throw new UsageError(`no such file${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}; nothing removed`, { hint: LIST_HINT });
  }
  if (ambiguous.length > 0) {
    throw new UsageError(`${ambiguous.join(', ')} match${ambiguous.length === 1 ? 'es' : ''} several files; give more of the id`, {
      hint: LIST_HINT,
    });
  }
  return [...chosen.values()];
}

function label(file: SourceFile): string {
  return `${file.original_name ?? file.file_path} (${file.id.slice(0, 8)})`;
}
