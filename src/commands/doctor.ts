import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';
import { PartialFailure } from '../errors.js';
import type { CheckFix } from '../services/doctor/checks.js';

export const register: Register = (parent, run) => {
  parent
    .command('doctor')
    .description('check the backend, schema, ffmpeg, font, keychain and schedule, and say what to fix')
    .action(run(async (ctx) => runDoctor(ctx)));
};

export async function runDoctor(ctx: Context): Promise<void> {
  const { runChecks } = await import('../services/doctor/checks.js');
  const { thisMachine } = await import('../services/schedule/scheduler.js');
  const { tiktokHome } = await import('../tiktok/auth/open.js');
  const { scheduleSource } = await import('./schedule/source.js');
  const checks = await runChecks({
    backendKind: ctx.config.backend(),
    backend: () => ctx.backend(),
    env: ctx.env,
    configDir: ctx.paths.config,
    schedule: scheduleSource(ctx),
    machine: thisMachine(ctx.env),
    tiktok: tiktokHome(ctx),
    timeZone: ctx.config.timeZone(),
  });
  const results = checks.map((r) => ({ ...r, fix: r.fix === undefined ? undefined : fixText(r.fix) }));
  const failed = results.filter((r) => r.status === 'fail');
  if (ctx.io.json) {
    ctx.io.printJson({ ok: failed.length === 0, checks: results });
  } else {
    const { green, yellow, red, dim } = ctx.io.style;
    const mark = { ok: green('ok  '), warn: yellow('warn'), fail: red('fail') };
    for (const r of results) {
      ctx.io.out(`${mark[r.status]} ${r.name.padEnd(11)} ${r.detail}`);
      if (r.fix) ctx.io.out(`     ${' '.repeat(11)} ${dim(`→ ${r.fix}`)}`);
    }
  }
  if (failed.length > 0) {
    throw new PartialFailure(`${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((f) => f.name).join(', ')}`);
  }
}

function fixText(fix: CheckFix): string {
  if (typeof fix === 'string') return fix;
  if ('verbose' in fix) return `run slides ${fix.verbose} --verbose`;
  return 'run slides db push --db-url …, or paste the output of slides db sql into the Supabase SQL editor';
}
