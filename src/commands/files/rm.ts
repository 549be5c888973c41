import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import { FilesInUse } from '../../errors.js';
import type { RemoveResult } from '../../services/upload/removeFiles.js';

export interface FilesRmOptions {
  ids: string[];
  force?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('rm')
    .description('delete uploaded files (row and stored object)')
    .argument('<id...>', 'ids from slides files list (the first 8 characters are enough)')
    .option('--force', 'also remove the files from the sessions that use them')
    .action(
      run(async (ctx, ids: string[], flags: Omit<FilesRmOptions, 'ids'>) => {
        await runFilesRm({ ...flags, ids }, ctx);
      }),
    );
};

export async function runFilesRm(o: FilesRmOptions, ctx: Pick<Context, 'io' | 'backend'>): Promise<RemoveResult> {
  const { removeFiles } = await import('../../services/upload/removeFiles.js');
  const result = await removeFiles(await ctx.backend(), o.ids, { force: Boolean(o.force) }).catch((error: unknown) => {
    throw error instanceof FilesInUse ? new FilesInUse(error.message, { hint: 'pass --force to remove the session items that use them too', cause: error }) : error;
  });
  if (ctx.io.json) {
    ctx.io.printJson(result);
    return result;
  }
  for (const f of result.removed) ctx.io.out(`removed ${f.id.slice(0, 8)} ${f.name ?? f.key}`);
  if (result.sessionItemsRemoved > 0) {
    ctx.io.info(`${result.sessionItemsRemoved} session item${result.sessionItemsRemoved === 1 ? '' : 's'} removed with them`);
  }
  return result;
}
