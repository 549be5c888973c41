import type { Register } from '../../cli/command.js';
import { inKeychain, maskSecret, parseSetting, readConfigFile, SETTINGS, writeConfigFile, type Settings, type SettingKey } from '../../config.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { settingKey } from './get.js';

export const register: Register = (parent, run) => {
  parent
    .command('set')
    .description('save settings to the config file of this profile')
    .argument('<key value...>', `pairs of a setting (${Object.keys(SETTINGS).join(', ')}) and its value`)
    .addHelpText(
      'after',
      '\nSetting supabase.url makes supabase the default backend (unless backend is set).\ntiktok.clientSecret goes to the OS keychain (or a 0600 file), never to config.json.\n\nExamples:\n  slides config set supabase.url https://abcd.supabase.co supabase.anonKey eyJ…\n  slides config set tiktok.clientKey KEY tiktok.clientSecret SECRET',
    )
    .action(
      run(async (ctx, pairs: string[]) => {
        await runConfigSet(pairs, ctx);
      }),
    );
};

/** Every pair is checked before anything is written, so a bad value changes nothing. */
export async function runConfigSet(pairs: string[], ctx: Pick<Context, 'io' | 'paths' | 'env' | 'profile'>): Promise<Settings> {
  if (pairs.length === 0 || pairs.length % 2 !== 0) {
    throw new UsageError('config set takes key value pairs', { hint: 'e.g. slides config set timezone Europe/Paris' });
  }
  const file = readConfigFile(ctx.paths.config);
  const values = new Map<SettingKey, string>();
  for (let i = 0; i < pairs.length; i += 2) {
    const key = settingKey(pairs[i] as string);
    values.set(key, String(parseSetting(key, pairs[i + 1] as string)));
  }
  const changed = [...values.keys()];
  for (const [key, value] of values) if (!inKeychain(key)) (file as Record<string, unknown>)[key] = value;
  writeConfigFile(ctx.paths.config, file);
  const kept = changed.filter(inKeychain);
  if (kept.length > 0) {
    const { keychainSetting } = await import('../../tiktok/settings.js');
    const { secretsHome } = await import('../../tiktok/crypto/keyRing.js');
    for (const key of kept) (await keychainSetting(key, secretsHome(ctx))).save(values.get(key) as string);
  }
  const shown = (key: SettingKey) => (SETTINGS[key].secret ? maskSecret(values.get(key) as string) : (values.get(key) as string));
  if (ctx.io.json) ctx.io.printJson(Object.fromEntries(changed.map((k) => [k, shown(k)])));
  else for (const key of changed) ctx.io.out(`${key} = ${shown(key)}`);
  if (changed.includes('supabase.url') && file.backend === undefined) {
    ctx.io.info('supabase is now the default backend (slides config set backend local to keep working offline)');
  }
  return file;
}
