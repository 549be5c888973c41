import type { Register } from '../../cli/command.js';
import { SETTINGS, type SettingKey } from '../../config.js';
import { viewSetting, type ConfigContext, type SettingView } from './get.js';

export const register: Register = (parent, run) => {
  parent
    .command('list')
    .description('print every setting, its value (secrets masked) and where it comes from')
    .action(
      run(async (ctx) => {
        await runConfigList(ctx);
      }),
    );
};

export async function runConfigList(ctx: ConfigContext): Promise<{ backend: string; settings: SettingView[] }> {
  const settings: SettingView[] = [];
  for (const key of Object.keys(SETTINGS) as SettingKey[]) settings.push(await viewSetting(ctx, key));
  const backend = ctx.config.backend();
  if (ctx.io.json) {
    ctx.io.printJson({ backend, settings });
    return { backend, settings };
  }
  const width = Math.max(...settings.map((s) => s.key.length));
  for (const s of settings) {
    const value = s.value ?? ctx.io.style.dim('(not set)');
    ctx.io.out(`${s.key.padEnd(width)}  ${value}${s.value === null ? '' : ctx.io.style.dim(`  (${s.source})`)}`);
  }
  ctx.io.out(ctx.io.style.dim(`backend in use: ${backend}`));
  return { backend, settings };
}
