import type { Register } from '../../cli/command.js';
import { maskSecret, parseSetting, readConfigFile, SETTINGS, writeConfigFile, type Settings, type SettingKey } from '../../config.js';
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
      '\nSetting supabase.url makes supabase the default backend (unless backend is set).\n\nExample:\n  slides config set supabase.url https://abcd.supabase.co supabase.anonKey eyJ…',
    )
    .action(
      run(async (ctx, pairs: string[]) => {
        runConfigSet(pairs, ctx);
      }),
    );
};

/** Every pair is checked before anything is written, so a bad value changes nothing. */
export function runConfigSet(pairs: string[], ctx: Pick<Context, 'io' | 'paths'>): Settings {
  if (pairs.length === 0 || pairs.length % 2 !== 0) {
    throw new UsageError('config set takes key value pairs', { hint: 'e.g. slides config set timezone Europe/Paris' });
  }
  const file = readConfigFile(ctx.paths.config);
  const changed: SettingKey[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const key = settingKey(pairs[i] as string);
    (file as Record<string, unknown>)[key] = parseSetting(key, pairs[i + 1] as string);
    changed.push(key);
  }
  writeConfigFile(ctx.paths.config, file);
  const shown = (key: SettingKey) => (SETTINGS[key].secret ? maskSecret(String(file[key])) : String(file[key]));
  if (ctx.io.json) ctx.io.printJson(Object.fromEntries(changed.map((k) => [k, shown(k)])));
  else for (const key of changed) ctx.io.out(`${key} = ${shown(key)}`);
  if (changed.includes('supabase.url') && file.backend === undefined) {
    ctx.io.info('supabase is now the default backend (slides config set backend local to keep working offline)');
  }
  return file;
}
