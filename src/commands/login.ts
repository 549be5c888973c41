import { positiveInt, type Register } from '../cli/command.js';
import type { Context } from '../context.js';

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
  const session = await loginWithBrowser(
    project,
    { provider: o.provider, email: o.email, openBrowser: o.browser, timeoutMs: o.timeoutMs },
    ctx,
  );
  const stored = (await storeFor(ctx, project)).save(session);
  const result = { userId: session.user.id, email: session.user.email, project: project.ref };
  if (ctx.io.json) ctx.io.printJson({ ...result, stored });
  else ctx.io.out(`Signed in to ${project.ref} as ${session.user.email ?? session.user.id}.`);
  return result;
}
