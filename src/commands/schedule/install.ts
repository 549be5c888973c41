import { Option } from 'commander';
import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { PostMode } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import type { Machine, InstallResult } from '../../services/schedule/scheduler.js';
import { PRIVACY_LEVELS, type PrivacyLevel } from '../../services/sessions/post.js';

export interface ScheduleInstallOptions {
  every: string;
  dryRun?: boolean;
  /** `--publish` alone is true: the run's default mode. */
  publish?: PostMode | true;
  privacy?: PrivacyLevel;
  yes?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('install')
    .description('run "slides run --due" on a timer: a crontab line (Linux) or a LaunchAgent (macOS)')
    .option('--every <interval>', 'how often to check: 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h', '15m')
    .option('--dry-run', 'print the exact crontab line or plist instead of installing it')
    .addOption(new Option('--publish [mode]', 'each run publishes the group it renders: draft (to your TikTok inbox) or direct').choices(['draft', 'direct']))
    .addOption(new Option('--privacy <level>', 'direct posts: who sees them (else the session\'s or the publish.privacy setting)').choices(PRIVACY_LEVELS))
    .option('--yes', "direct posts: agree now to TikTok's Music Usage Confirmation for every post the schedule makes")
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
        '  slides schedule install --publish',
        '  slides schedule install --publish direct --privacy SELF_ONLY --yes',
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
  const publish = schedulePublish(o);
  const result = await installSchedule(scheduleSource(ctx, publish), everyMinutes, { dryRun: Boolean(o.dryRun) }, machine ?? thisMachine(ctx.env));
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
      publish: publish ?? null,
      argv: result.run.argv,
      env: result.run.env,
      logFile: result.run.logFile,
      warnings: result.warnings,
    });
  } else if (result.dryRun) {
    io.out(result.text.trimEnd());
  } else {
    const where = result.kind === 'cron' ? 'crontab' : result.target;
    const what = publish ? ` --publish${publish.mode ? ` ${publish.mode}` : ''}${publish.privacy ? ` --privacy ${publish.privacy}` : ''}` : '';
    io.out(`${result.replaced ? 'Updated' : 'Installed'}: slides run --due${what} every ${formatEvery(everyMinutes)} (${where})`);
    io.out(`  log  ${result.run.logFile}`);
    io.out(io.style.dim('  see it work: slides schedule status'));
  }
  return result;
}

/** The publish flags of the scheduled run; a direct post needs the creator's consent now, since no one is there to give it later. */
function schedulePublish(o: ScheduleInstallOptions): { mode?: PostMode; privacy?: PrivacyLevel } | undefined {
  if (o.publish === undefined) {
    if (o.privacy !== undefined || o.yes) throw new UsageError(`${o.privacy !== undefined ? '--privacy' : '--yes'} is for --publish direct.`, { hint: 'add --publish direct, or leave it out' });
    return undefined;
  }
  const mode = o.publish === true ? undefined : o.publish;
  if (mode === 'direct' && !o.yes) {
    throw new UsageError("a scheduled direct post cannot ask for consent: by posting, you agree to TikTok's Music Usage Confirmation.", {
      hint: 'pass --yes to agree for every post the schedule makes, or schedule drafts (--publish draft)',
    });
  }
  if (mode !== 'direct' && o.privacy !== undefined) throw new UsageError('--privacy is for --publish direct: a draft is posted from the TikTok app.', { hint: 'leave --privacy out' });
  return { ...(mode ? { mode } : {}), ...(o.privacy ? { privacy: o.privacy } : {}) };
}
