import { Option } from 'commander';
import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { SourceFileType } from '../../db/types.js';
import { table } from '../../cli/table.js';
import { wallClock } from '../../services/schedule/wallClock.js';
import type { ListedFile } from '../../services/upload/listFiles.js';

export interface FilesListOptions {
  type?: SourceFileType;
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
  const { listFiles } = await import('../../services/upload/listFiles.js');
  const files = await listFiles((await ctx.backend()).rows, o.type);
  if (ctx.io.json) {
    ctx.io.printJson(files);
  } else if (files.length === 0) {
    ctx.io.info(o.type ? `No ${TYPE_NAMES[o.type]} uploaded yet.` : 'No files uploaded yet (slides upload DIR).');
  } else if (ctx.io.stdoutIsTTY) {
    const { formatBytes } = await import('../../services/upload/report.js');
    for (const line of fileTable(files, formatBytes, ctx.config.timeZone())) ctx.io.out(line);
  } else {
    for (const f of files) ctx.io.out([f.id, f.type, f.name ?? '', f.sizeBytes ?? '', shape(f), f.uploadedAt].join('\t'));
  }
  return files;
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
