import type { Register } from '../../cli/command.js';
import { inKeychain, isSettingKey, maskSecret, SETTINGS, type SettingKey, type SettingSource } from '../../config.js';
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

export type ConfigContext = Pick<Context, 'io' | 'config' | 'env' | 'paths' | 'profile'>;

/** A setting as shown to the user: secrets keep their length, never their value. */
export async function viewSetting(ctx: ConfigContext, key: SettingKey): Promise<SettingView> {
  let value: unknown = ctx.config.get(key);
  let source = ctx.config.source(key);
  if (value === undefined && inKeychain(key)) {
    const { keychainSetting } = await import('../../tiktok/settings.js');
    const { secretsHome } = await import('../../tiktok/crypto/keyRing.js');
    const stored = (await keychainSetting(key, secretsHome(ctx))).load();
    if (stored !== null) [value, source] = [stored, 'keychain'];
  }
  const shown = value === undefined ? null : SETTINGS[key].secret ? maskSecret(String(value)) : String(value);
  return { key, value: shown, source };
}

export const register: Register = (parent, run) => {
  parent
    .command('get')
    .description('print one setting and where it comes from (flag, env, file, default)')
    .argument('<key>', Object.keys(SETTINGS).join(' | '))
    .action(
      run(async (ctx, key: string) => {
        await runConfigGet(key, ctx);
      }),
    );
};

export async function runConfigGet(rawKey: string, ctx: ConfigContext): Promise<SettingView> {
  const view = await viewSetting(ctx, settingKey(rawKey));
  if (ctx.io.json) ctx.io.printJson(view);
  else if (view.value === null) ctx.io.info(`${view.key} is not set`);
  else ctx.io.out(view.value);
  ctx.io.debug(`${view.key} comes from: ${view.source}`);
  return view;
}
