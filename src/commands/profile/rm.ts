import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

export interface ProfileRmOptions {
  yes?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('rm')
    .description('delete a profile: its config, stored session and local data on this machine')
    .argument('<name>', 'the profile to delete')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      run(async (ctx, name: string, flags: ProfileRmOptions) => {
        await runProfileRm(name, flags, ctx);
      }),
    );
};

export async function runProfileRm(
  name: string,
  o: ProfileRmOptions,
  ctx: Pick<Context, 'io' | 'env' | 'prompter'>,
): Promise<{ removed: string; current: string }> {
  const { currentProfile, profileExists, profileName, removeProfile, setCurrentProfile } = await import('../../profiles.js');
  const { resolvePaths } = await import('../../paths.js');
  profileName(name, 'slides profile rm');
  if (name === 'default') throw new UsageError('the default profile cannot be removed');
  if (!profileExists(ctx.env, name)) throw new UsageError(`no profile named ${name}`, { hint: 'see slides profile list' });
  const sure =
    o.yes ||
    (await ctx.prompter.confirm({ message: `Delete profile ${name} with its settings, session and local data?`, flag: '--yes', default: false }));
  if (!sure) throw new UsageError(`profile ${name} kept`);
  const defaults = resolvePaths(ctx.env, 'default');
  if (currentProfile(defaults) === name) setCurrentProfile(defaults, 'default');
  await forgetStoredSession(ctx.env, name, resolvePaths(ctx.env, name).config);
  removeProfile(ctx.env, name);
  const result = { removed: name, current: currentProfile(defaults) };
  if (ctx.io.json) ctx.io.printJson(result);
  else ctx.io.out(`Removed profile ${name}; using ${result.current}.`);
  return result;
}

/** The profile's session may sit in the keychain, outside its folders: delete it there too. */
async function forgetStoredSession(env: NodeJS.ProcessEnv, profile: string, configDir: string): Promise<void> {
  const { readConfigFile } = await import('../../config.js');
  const { forgetKeychainSession } = await import('../../auth/signedIn.js');
  let url: string | undefined;
  try {
    url = readConfigFile(configDir)['supabase.url'];
  } catch {
    return;
  }
  if (url) await forgetKeychainSession(env, profile, url);
}
