import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { Machine, InstallResult } from '../../services/schedule/scheduler.js';

export interface ScheduleInstallOptions {
  every: string;
  dryRun?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('install')
    .description('run "slides run --due" on a timer: a crontab line (Linux) or a LaunchAgent (macOS)')
    .option('--every <interval>', 'how often to check: 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h', '15m')
    .option('--dry-run', 'print the exact crontab line or plist instead of installing it')
    .addHelpText(
      'after',
      [
        '',
        'The entry calls node and the CLI by absolute path, with PATH, SLIDES_HOME, SLIDES_PROFILE and the',
        'backend settings given by flag or environment; never a key or a token. Output goes to',
        'schedule.log in the state folder. Installing again replaces the entry.',
        '',
        'Examples:',
        '  slides schedule install',
        '  slides schedule install --every 1h --dry-run',
        '  slides --profile alice schedule install',
      ].join('\n'),
    )
    .action(
      run(async (ctx, flags: ScheduleInstallOptions) => {
        await runScheduleInstall(flags, ctx);
      }),
    );
};

export async function runScheduleInstall(
  o: ScheduleInstallOptions,
  ctx: Pick<Context, 'io' | 'env' | 'paths' | 'profile' | 'config'>,
  machine?: Machine,
): Promise<InstallResult> {
  const { installSchedule, thisMachine } = await import('../../services/schedule/scheduler.js');
  const { formatEvery, parseEvery } = await import('../../services/schedule/entry.js');
  const everyMinutes = parseEvery(o.every);
  const { scheduleSource } = await import('./source.js');
  const result = await installSchedule(scheduleSource(ctx), everyMinutes, { dryRun: Boolean(o.dryRun) }, machine ?? thisMachine(ctx.env));
  for (const warning of result.warnings) ctx.io.warn(warning);
  const { io } = ctx;
  if (io.json) {
    io.printJson({
      kind: result.kind,
      dryRun: result.dryRun,
      replaced: result.replaced,
      every: formatEvery(everyMinutes),
      everyMinutes,
      target: result.target,
      text: result.text,
      argv: result.run.argv,
      env: result.run.env,
      logFile: result.run.logFile,
      warnings: result.warnings,
    });
  } else if (result.dryRun) {
    io.out(result.text.trimEnd());
  } else {
    const where = result.kind === 'cron' ? 'crontab' : result.target;
    io.out(`${result.replaced ? 'Updated' : 'Installed'}: slides run --due every ${formatEvery(everyMinutes)} (${where})`);
    io.out(`  log  ${result.run.logFile}`);
    io.out(io.style.dim('  see it work: slides schedule status'));
  }
  return result;
}
