import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('list')
    .description('list profiles (one per creator: config, credentials, local data); * marks the one in use')
    .action(
      run(async (ctx) => {
        await runProfileList(ctx);
      }),
    );
};

export async function runProfileList(ctx: Pick<Context, 'io' | 'env' | 'profile'>): Promise<{ current: string; profiles: string[] }> {
  const { listProfiles } = await import('../../profiles.js');
  const profiles = listProfiles(ctx.env);
  if (!profiles.includes(ctx.profile)) profiles.push(ctx.profile);
  const result = { current: ctx.profile, profiles };
  if (ctx.io.json) ctx.io.printJson(result);
  else for (const name of profiles) ctx.io.out(`${name === ctx.profile ? '*' : ' '} ${name}`);
  return result;
}
