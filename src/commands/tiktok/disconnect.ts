import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('disconnect')
    .description('revoke the TikTok token, then delete the account, its tokens and the token key of this profile')
    .action(
      run(async (ctx) => {
        await runTiktokDisconnect(ctx);
      }),
    );
};

export async function runTiktokDisconnect(ctx: Context) {
  const { tiktokHome } = await import('../../tiktok/auth/open.js');
  const { disconnectTikTok } = await import('../../tiktok/auth/disconnect.js');
  const result = await disconnectTikTok({ home: tiktokHome(ctx), backend: await ctx.backend() }, { warn: (line) => ctx.io.warn(line) });
  if (ctx.io.json) ctx.io.printJson(result);
  else if (result.openId === null) ctx.io.out('No TikTok account was connected.');
  else ctx.io.out(`Disconnected TikTok account ${result.openId}${result.revoked ? ' (TikTok revoked its token)' : ''}; its tokens and key are deleted.`);
  return result;
}
