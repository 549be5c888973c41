import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import type { SessionSummary } from '../../services/sessions/load.js';
import { plural, scheduleLine, when } from './format.js';
import { table } from '../../cli/table.js';

export const register: Register = (parent, run) => {
  parent
    .command('list')
    .description('list your sessions, newest first; * marks the active one')
    .action(
      run(async (ctx) => {
        await runSessionList(ctx);
      }),
    );
};

export async function runSessionList(ctx: Pick<Context, 'io' | 'backend' | 'config'>): Promise<SessionSummary[]> {
  const { listSessions } = await import('../../services/sessions/load.js');
  const sessions = await listSessions((await ctx.backend()).rows);
  const timeZone = ctx.config.timeZone();
  if (ctx.io.json) {
    ctx.io.printJson(sessions);
  } else if (sessions.length === 0) {
    ctx.io.info('No sessions yet (slides session new).');
  } else if (ctx.io.stdoutIsTTY) {
    const rows = [
      ['', 'ID', 'STARTED', 'ITEMS', 'SCHEDULE', 'GROUPS', 'LAST RUN'],
      ...sessions.map((s) => [
        s.is_active ? '*' : '',
        s.id.slice(0, 8),
        when(s.started_at, timeZone),
        String(s.item_count),
        scheduleLine(s),
        String(s.groups_created),
        when(s.last_run_at, timeZone),
      ]),
    ];
    for (const line of table(rows)) ctx.io.out(line);
    if (!sessions.some((s) => s.is_active)) {
      ctx.io.info(`None of these ${plural(sessions.length, 'session')} is active (slides session activate ID).`);
    }
  } else {
    for (const s of sessions) {
      ctx.io.out(
        [s.id, s.is_active ? 'active' : 'stopped', s.started_at, s.item_count, s.frequency ?? '', s.max_per_day ?? '', s.per_group ?? '', s.groups_created, s.last_run_at ?? '']
          .map(String)
          .join('\t'),
      );
    }
  }
  return sessions;
}
