import { Option } from 'commander';
import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { SourceFile, SourceFileType } from '../../db/types.js';
import { table } from '../../cli/table.js';
import { wallClock } from '../../services/schedule/wallClock.js';

export interface FilesListOptions {
  type?: SourceFileType;
}

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

const TYPE_NAMES: Record<SourceFileType, string> = { image: 'photos', video: 'clips', audio: 'music files', font: 'fonts' };

export const register: Register = (parent, run) => {
  parent
    .command('list')
    .description('list the photos, clips, music and fonts you uploaded')
    .addOption(new Option('--type <type>', 'only photos, clips, music or fonts').choices(['image', 'video', 'audio', 'font']))
    .action(
      run(async (ctx, flags: FilesListOptions) => {
        await runFilesList(flags, ctx);
      }),
    );
};

export async function runFilesList(o: FilesListOptions, ctx: Pick<Context, 'io' | 'backend' | 'config'>): Promise<ListedFile[]> {
  const backend = await ctx.backend();
  const rows = await backend.rows.select('source_files', {
    where: o.type ? { file_type: o.type } : {},
    order: [{ column: 'uploaded_at' }, { column: 'original_name' }],
  });
  const files = rows.map(listed);
  if (ctx.io.json) {
    ctx.io.printJson(files);
  } else if (files.length === 0) {
    ctx.io.info(o.type ? `No ${TYPE_NAMES[o.type]} uploaded yet.` : 'No files uploaded yet (slides upload DIR).');
  } else if (ctx.io.isTTY) {
    const { formatBytes } = await import('../../services/upload/report.js');
    for (const line of fileTable(files, formatBytes, ctx.config.timeZone())) ctx.io.out(line);
  } else {
    for (const f of files) ctx.io.out([f.id, f.type, f.name ?? '', f.sizeBytes ?? '', shape(f), f.uploadedAt].join('\t'));
  }
  return files;
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

/** "1080×1920" for photos, "1080×1920 12.5s" for clips; empty when unknown. */
function shape(f: ListedFile): string {
  const size = f.width && f.height ? `${f.width}×${f.height}` : '';
  const length = f.durationSeconds !== null ? `${f.durationSeconds.toFixed(1)}s` : '';
  return [size, length].filter(Boolean).join(' ');
}

function fileTable(files: ListedFile[], bytes: (n: number) => string, timeZone: string): string[] {
  return table([
    ['ID', 'TYPE', 'NAME', 'SIZE', 'DIMENSIONS', 'UPLOADED'],
    ...files.map((f) => {
      const size = f.sizeBytes === null ? '' : bytes(f.sizeBytes);
      return [f.id.slice(0, 8), f.type, f.name ?? f.key, size, shape(f), wallClock(new Date(f.uploadedAt), timeZone)];
    }),
  ]);
}
