import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('use')
    .description('make a profile the one every command uses (a new name starts an empty profile)')
    .argument('<name>', 'profile name (lowercase letters, digits, - and _), or default')
    .action(
      run(async (ctx, name: string) => {
        await runProfileUse(name, ctx);
      }),
    );
};

export async function runProfileUse(name: string, ctx: Pick<Context, 'io' | 'env'>): Promise<{ profile: string; created: boolean }> {
  const { profileExists, profileName, setCurrentProfile } = await import('../../profiles.js');
  const { resolvePaths } = await import('../../paths.js');
  profileName(name, 'slides profile use');
  const created = !profileExists(ctx.env, name);
  setCurrentProfile(resolvePaths(ctx.env, 'default'), name);
  if (ctx.env.SLIDES_PROFILE && ctx.env.SLIDES_PROFILE !== name) {
    ctx.io.warn(`SLIDES_PROFILE=${ctx.env.SLIDES_PROFILE} is set and still wins in this shell`);
  }
  const result = { profile: name, created };
  if (ctx.io.json) ctx.io.printJson(result);
  else ctx.io.out(`Using profile ${name}${created ? ' (new: run slides config set and slides login for it)' : ''}.`);
  return result;
}
