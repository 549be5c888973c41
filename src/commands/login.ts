import { positiveInt, type Register } from '../cli/command.js';
import type { IO } from '../cli/io.js';
import type { Context } from '../context.js';
import type { LoginEvent } from '../auth/login.js';

export interface LoginOptions {
  provider: string;
  email?: string;
  browser: boolean;
  timeoutMs: number;
}

export const register: Register = (parent, run) => {
  parent
    .command('login')
    .description('sign in to your Supabase project in the browser (PKCE); the session goes to the keychain')
    .option('--provider <name>', 'OAuth provider enabled in the project (github, google, …)', 'github')
    .option('--email <address>', 'sign in with a magic link sent to this address instead')
    .option('--no-browser', 'print the sign-in link instead of opening the browser')
    .option('--timeout <seconds>', 'how long to wait for the browser', positiveInt, 300)
    .addHelpText(
      'after',
      '\nThe project must allow the redirect URL http://127.0.0.1:*/callback** (Authentication > URL Configuration).\n\nExamples:\n  slides login\n  slides login --provider google --no-browser\n  slides login --email me@example.com',
    )
    .action(
      run(async (ctx, flags: Omit<LoginOptions, 'timeoutMs'> & { timeout: number }) => {
        await runLogin({ provider: flags.provider, email: flags.email, browser: flags.browser, timeoutMs: flags.timeout * 1000 }, ctx);
      }),
    );
};

export async function runLogin(
  o: LoginOptions,
  ctx: Pick<Context, 'io' | 'browser' | 'config' | 'env' | 'paths' | 'profile'>,
): Promise<{ userId: string; email: string | null; project: string }> {
  const { projectFromConfig } = await import('../auth/project.js');
  const { loginWithBrowser } = await import('../auth/login.js');
  const { storeFor } = await import('../auth/signedIn.js');
  const project = projectFromConfig(ctx.config);
  const { sessionPlace } = await import('../cli/backendProgress.js');
  const session = await loginWithBrowser(
    project,
    { provider: o.provider, email: o.email, openBrowser: o.browser, timeoutMs: o.timeoutMs },
    { openBrowser: (url) => ctx.browser.open(url), onEvent: (event) => tellLogin(ctx.io, event) },
  );
  const stored = (await storeFor(sessionPlace(ctx), project)).save(session);
  const result = { userId: session.user.id, email: session.user.email, project: project.ref };
  if (ctx.io.json) ctx.io.printJson({ ...result, stored });
  else ctx.io.out(`Signed in to ${project.ref} as ${session.user.email ?? session.user.id}.`);
  return result;
}

function tellLogin(io: IO, event: LoginEvent): void {
  switch (event.type) {
    case 'linkSent':
      io.info(`Sent a sign-in link to ${event.email}. Open it on this computer; waiting…`);
      return;
    case 'browserOpened':
      io.info(`Opened the browser to sign in with ${event.provider}; waiting…`);
      return;
    case 'openLink':
      // The link goes to stderr even with --json or --quiet: without it the login cannot finish.
      io.stderr.write(`Open this link in a browser to sign in with ${event.provider}:\n\n  ${event.url}\n\nWaiting…\n`);
  }
}
