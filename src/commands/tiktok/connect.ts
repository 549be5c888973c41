import { InvalidArgumentError } from 'commander';
import { positiveInt, type Register } from '../../cli/command.js';
import type { Context } from '../../context.js';

export interface ConnectOptions {
  browser: boolean;
  scopes: string[];
  timeoutMs: number;
}

function scopeList(raw: string): string[] {
  const scopes = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = scopes.find((s) => !/^[a-z]+(\.[a-z_]+)+$/.test(s));
  if (scopes.length === 0 || bad !== undefined) throw new InvalidArgumentError(`expected comma-separated TikTok scopes such as video.publish${bad ? `, not ${bad}` : ''}.`);
  return scopes;
}

export const register: Register = (parent, run) => {
  parent
    .command('connect')
    .description('connect your TikTok account (Login Kit in the browser); the tokens are stored encrypted')
    .option('--no-browser', 'print the TikTok link instead of opening the browser')
    .option('--scopes <list>', 'scopes to ask for besides user.info.basic,video.upload (e.g. video.publish for direct posts)', scopeList, [])
    .option('--timeout <seconds>', 'how long to wait for the browser', positiveInt, 300)
    .addHelpText(
      'after',
      '\nNeeds your own TikTok app: slides config set tiktok.clientKey KEY tiktok.clientSecret SECRET,\nwith the redirect URI http://127.0.0.1:*/callback/ registered in its Login Kit settings.\n\nExamples:\n  slides tiktok connect\n  slides tiktok connect --scopes video.publish --no-browser',
    )
    .action(
      run(async (ctx, flags: { browser: boolean; scopes: string[]; timeout: number }) => {
        await runTiktokConnect({ browser: flags.browser, scopes: flags.scopes, timeoutMs: flags.timeout * 1000 }, ctx);
      }),
    );
};

export async function runTiktokConnect(o: ConnectOptions, ctx: Context) {
  const { tiktokHome } = await import('../../tiktok/auth/open.js');
  const { connectTikTok, connectScopes } = await import('../../tiktok/auth/connect.js');
  const connected = await connectTikTok(
    { home: tiktokHome(ctx), backend: () => ctx.backend(), openBrowser: (url) => ctx.browser.open(url) },
    { scopes: connectScopes(o.scopes), openBrowser: o.browser, timeoutMs: o.timeoutMs },
    {
      authorize(url, opened) {
        // The link goes to stderr even with --json or --quiet: without it the connect cannot finish.
        if (opened) ctx.io.info('Opened the browser to authorize slides on TikTok; waiting…');
        else ctx.io.stderr.write(`Open this link in a browser to connect your TikTok account:\n\n  ${url}\n\nWaiting…\n`);
      },
      warn: (line) => ctx.io.warn(line),
    },
  );
  const result = {
    openId: connected.openId,
    displayName: connected.displayName,
    scopes: connected.scopes,
    accessExpiresAt: connected.accessExpiresAt.toISOString(),
    refreshExpiresAt: connected.refreshExpiresAt.toISOString(),
  };
  if (ctx.io.json) {
    ctx.io.printJson(result);
  } else {
    ctx.io.out(`Connected TikTok account ${connected.displayName ?? connected.openId} (scopes ${connected.scopes.join(', ')}).`);
    ctx.io.out(ctx.io.style.dim(`Tokens stored encrypted; the access token renews itself until ${result.refreshExpiresAt}.`));
  }
  if (connected.notGranted.length > 0) {
    ctx.io.warn(`TikTok did not grant ${connected.notGranted.join(', ')}: enable them for your app in the developer portal, then run slides tiktok connect again`);
  }
  return result;
}
