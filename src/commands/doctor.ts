import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';
import { PartialFailure } from '../errors.js';

export const register: Register = (parent, run) => {
  parent
    .command('doctor')
    .description('check the backend, schema, ffmpeg, font, keychain and schedule, and say what to fix')
    .action(run(async (ctx) => runDoctor(ctx)));
};

export async function runDoctor(ctx: Context): Promise<void> {
  const { runChecks } = await import('../services/doctor/checks.js');
  const results = await runChecks(ctx);
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
