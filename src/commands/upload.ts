import { join } from 'node:path';
import type { Register } from '../cli/command.js';
import { positiveInt } from '../cli/command.js';
import type { Context } from '../context.js';
import { PartialFailure, UsageError } from '../errors.js';
import type { UploadSummary } from '../services/upload/uploadFolder.js';

export interface UploadOptions {
  paths: string[];
  recursive?: boolean;
  concurrency: number;
  dryRun?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('upload')
    .description('send photos and clips to your Sources bucket, once each (re-runs send only what is new)')
    .argument('<path...>', 'folders or single files')
    .option('-r, --recursive', 'also upload what is in subfolders')
    .option('--concurrency <n>', 'files in flight at once', positiveInt, 4)
    .option('--dry-run', 'say what would be uploaded, upload nothing')
    .addHelpText('after', '\nExamples:\n  slides upload ~/Pictures/lisbon\n  slides upload ~/Pictures --recursive --dry-run')
    .action(
      run(async (ctx, paths: string[], flags: Omit<UploadOptions, 'paths'>) => {
        await runUpload({ ...flags, paths }, ctx);
      }),
    );
};

/** Prints the summary (or the JSON document), then throws PartialFailure when any file failed. */
export async function runUpload(o: UploadOptions, ctx: Pick<Context, 'io' | 'backend' | 'paths'>): Promise<UploadSummary> {
  const { uploadFolder } = await import('../services/upload/uploadFolder.js');
  const { openContentCache } = await import('../services/upload/contentCache.js');
  const { progressText, summaryJson, summaryLines } = await import('../services/upload/report.js');
  const backend = await ctx.backend();
  const spinner = ctx.io.progress('Looking for photos and clips…');
  let phaseStart = performance.now();
  let phase = '';
  let bytesAtStart = 0;
  let summary: UploadSummary;
  try {
    summary = await uploadFolder(backend, {
      paths: o.paths,
      recursive: Boolean(o.recursive),
      concurrency: o.concurrency,
      dryRun: Boolean(o.dryRun),
      cache: await openContentCache(join(ctx.paths.cache, 'upload-content.json')),
      onProgress: (p) => {
        if (p.phase !== phase) {
          phase = p.phase;
          phaseStart = performance.now();
          bytesAtStart = p.bytesDone;
        }
        spinner.update(progressText(p, performance.now() - phaseStart, bytesAtStart));
      },
    });
  } finally {
    spinner.stop();
  }

  if (summary.found === 0 && summary.failed.length > 0) {
    const [first, ...rest] = summary.failed;
    throw new UsageError(`${first?.name}: ${first?.reason}${rest.length ? ` (and ${rest.length} more paths)` : ''}`, {
      hint: 'check the path',
    });
  }
  if (ctx.io.json) ctx.io.printJson(summaryJson(summary));
  else for (const line of summaryLines(summary)) ctx.io.out(line);
  if (summary.foldersNotEntered > 0) {
    ctx.io.info(`${summary.foldersNotEntered} subfolder${summary.foldersNotEntered === 1 ? '' : 's'} not entered (pass --recursive to include them)`);
  }
  if (summary.failed.length > 0) {
    throw new PartialFailure(`${summary.failed.length} file${summary.failed.length === 1 ? '' : 's'} failed; the others are uploaded`, {
      hint: 'run the same command again to retry: nothing is sent twice',
    });
  }
  return summary;
}
