import type { Rows } from '../../db/backend.js';
import type { SourceFile, SourceFileType } from '../../db/types.js';

export interface ListedFile {
  id: string;
  type: SourceFileType;
  name: string | null;
  sizeBytes: number | null;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  mime: string | null;
  key: string;
  uploadedAt: string;
}

/** The user's uploaded files, oldest first (then by name), only those of one `type` when given. */
export async function listFiles(rows: Rows, type?: SourceFileType): Promise<ListedFile[]> {
  const files = await rows.select('source_files', {
    where: type ? { file_type: type } : {},
    order: [{ column: 'uploaded_at' }, { column: 'original_name' }],
  });
  return files.map(listed);
}

function listed(row: SourceFile): ListedFile {
  return {
    id: row.id,
    type: row.file_type,
    name: row.original_name,
    sizeBytes: row.size_bytes,
    width: row.width,
    height: row.height,
    durationSeconds: row.duration_seconds,
    mime: row.mime_type,
    key: row.file_path,
    uploadedAt: row.uploaded_at,
  };
}
