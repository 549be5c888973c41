import type { Register } from '../../cli/command.js';
import { isSettingKey, maskSecret, SETTINGS, type ResolvedConfig, type SettingKey, type SettingSource } from '../../config.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

export interface SettingView {
  key: SettingKey;
  value: string | null;
  source: SettingSource;
}

export function settingKey(raw: string): SettingKey {
  if (!isSettingKey(raw)) {
    throw new UsageError(`unknown setting ${raw}`, { hint: `one of ${Object.keys(SETTINGS).join(', ')}` });
  }
  return raw;
}

/** A setting as shown to the user: secrets keep their length, never their value. */
export function viewSetting(config: ResolvedConfig, key: SettingKey): SettingView {
  const value = config.get(key);
  const shown = value === undefined ? null : SETTINGS[key].secret ? maskSecret(String(value)) : String(value);
  return { key, value: shown, source: config.source(key) };
}

export const register: Register = (parent, run) => {
  parent
    .command('get')
    .description('print one setting and where it comes from (flag, env, file, default)')
    .argument('<key>', Object.keys(SETTINGS).join(' | '))
    .action(
      run(async (ctx, key: string) => {
        runConfigGet(key, ctx);
      }),
    );
};

export function runConfigGet(rawKey: string, ctx: Pick<Context, 'io' | 'config'>): SettingView {
  const view = viewSetting(ctx.config, settingKey(rawKey));
  if (ctx.io.json) ctx.io.printJson(view);
  else if (view.value === null) ctx.io.info(`${view.key} is not set`);
  else ctx.io.out(view.value);
  ctx.io.debug(`${view.key} comes from: ${view.source}`);
  return view;
}
