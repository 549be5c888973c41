import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('status')
    .description('the connected TikTok account: scopes, token expiry, whether TikTok accepts it, drafts and posts of the day')
    .option('--offline', 'do not ask TikTok whether the token still works')
    .addHelpText('after', '\nExits 3 when TikTok no longer accepts the stored token (run slides tiktok connect).')
    .action(
      run(async (ctx, flags: { offline?: boolean }) => {
        await runTiktokStatus({ live: !flags.offline }, ctx);
      }),
    );
};

function until(iso: string | null, now: Date): string {
  if (!iso) return 'unknown';
  return new Date(iso).getTime() > now.getTime() ? `valid until ${iso}` : `expired ${iso}`;
}

export async function runTiktokStatus(o: { live: boolean }, ctx: Context) {
  const { tiktokHome } = await import('../../tiktok/auth/open.js');
  const { accountStatus } = await import('../../tiktok/auth/status.js');
  const { localDayStart } = await import('../../services/schedule/slots.js');
  const { table } = await import('../../cli/table.js');
  const now = ctx.clock.now();
  const status = await accountStatus(
    { home: tiktokHome(ctx), backend: await ctx.backend(), dayStart: localDayStart(now, ctx.config.timeZone()), onRefresh: () => ctx.io.debug('refreshed the TikTok access token') },
    o,
  );
  const tokenError = status.token && !status.token.ok ? status.token.error : null;
  if (ctx.io.json) {
    const token = status.token && (status.token.ok ? status.token : { ok: false, error: tokenError?.message, hint: tokenError?.hint });
    ctx.io.printJson({ ...status, connected: status.account !== null, token });
  } else {
    const { dim, red, green } = ctx.io.style;
    const app = status.app.clientKey
      ? `client key ${status.app.clientKey}, secret ${status.app.clientSecret ? 'set' : red('not set')}`
      : red('not configured (slides config set tiktok.clientKey KEY tiktok.clientSecret SECRET)');
    const rows: string[][] = [['TikTok app', app]];
    if (status.endpoints.custom) rows.push(['endpoints', `${status.endpoints.authUrl}, ${status.endpoints.apiUrl}`]);
    const a = status.account;
    if (!a) {
      rows.push(['account', 'none connected (run slides tiktok connect)']);
    } else {
      const key = a.key === 'env' ? 'from SLIDES_TIKTOK_TOKEN_KEY' : a.key === 'profile' ? "in this profile's keychain (or 0600 file)" : red('MISSING on this machine');
      rows.push(
        ['account', `${a.displayName ?? '(no display name)'} ${dim(`open_id ${a.openId}`)}`],
        ['scopes', a.scopes.join(', ')],
        ['access token', until(a.accessExpiresAt, now)],
        ['refresh token', until(a.refreshExpiresAt, now)],
        ['token key', `id ${a.keyId ?? '?'}, ${key}`],
      );
      if (status.token?.ok) rows.push(['TikTok says', green(status.token.refreshed ? 'ok (access token renewed)' : 'ok')]);
      else if (tokenError) rows.push(['TikTok says', red(tokenError.message)]);
    }
    rows.push(['drafts (24 h)', `${status.posts.draftsLast24h} sent (TikTok keeps at most 5 unfinished)`], ['posts today', String(status.posts.publishedToday)]);
    for (const line of table(rows)) ctx.io.out(line);
  }
  if (tokenError) throw tokenError;
  return status;
}
