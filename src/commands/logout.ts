import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';

export const register: Register = (parent, run) => {
  parent
    .command('logout')
    .description('revoke the Supabase session and delete it from this machine')
    .action(
      run(async (ctx) => {
        await runLogout(ctx);
      }),
    );
};

/** Revokes on the server when it can; the local copy is deleted either way. */
export async function runLogout(ctx: Pick<Context, 'io' | 'config' | 'env' | 'paths' | 'profile'>): Promise<{ project: string; signedOut: boolean; revoked: boolean }> {
  const { projectFromConfig } = await import('../auth/project.js');
  const { storeFor } = await import('../auth/signedIn.js');
  const { revokeSession } = await import('../auth/revoke.js');
  const project = projectFromConfig(ctx.config);
  const { sessionPlace } = await import('../cli/backendProgress.js');
  const store = await storeFor(sessionPlace(ctx), project);
  const session = store.load();
  const revoked = session ? await revokeSession(project, session) : false;
  const signedOut = store.remove();
  if (session && !revoked) ctx.io.warn('could not reach Supabase to revoke the session; it was deleted here and expires on its own');
  if (ctx.env.SLIDES_ACCESS_TOKEN) ctx.io.warn('SLIDES_ACCESS_TOKEN is still set in the environment');
  const result = { project: project.ref, signedOut, revoked };
  if (ctx.io.json) ctx.io.printJson(result);
  else ctx.io.out(signedOut ? `Signed out of ${project.ref}.` : `Not signed in to ${project.ref}.`);
  return result;
}
