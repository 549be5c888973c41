import { randomBytes } from 'node:crypto';
import type { Provider } from '@supabase/supabase-js';
import { AuthError } from '../errors.js';
import { authClient } from '../db/supabase/client.js';
import { unreachable } from '../db/supabase/errors.js';
import { startCallbackServer } from './callback.js';
import type { Project } from './project.js';
import { toStoredSession, type StoredSession } from './session.js';

export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60_000;

export interface LoginFlow {
  provider: string;
  /** Magic link instead of an OAuth provider. */
  email?: string;
  /** Open the browser; otherwise print the link. */
  openBrowser: boolean;
  timeoutMs: number;
}

/** What the sign-in tells the user while it waits; the link must reach them whatever the output flags. */
export type LoginEvent =
  | { type: 'linkSent'; email: string }
  | { type: 'browserOpened'; provider: string }
  /** The browser could not be opened (or was not to be): the user opens `url` themselves. */
  | { type: 'openLink'; provider: string; url: string };

export interface LoginDeps {
  openBrowser: (url: string) => Promise<void>;
  onEvent: (event: LoginEvent) => void;
}

function authFailure(project: Project, what: string, error: { message: string; status?: number; name?: string }): Error {
  if (error.name === 'AuthRetryableFetchError' || error.status === 0) return unreachable(project.url, error);
  return new AuthError(`${what}: ${error.message}`, { hint: 'check the provider is enabled and the redirect URL allowed in the project’s Auth settings' });
}

/**
 * PKCE sign-in through the browser: Auth redirects to our one-shot callback server with a code,
 * which the same auth client (it holds the verifier) exchanges for a session.
 */
export async function loginWithBrowser(
  project: Project,
  flow: LoginFlow,
  deps: LoginDeps,
): Promise<StoredSession> {
  const server = await startCallbackServer({ state: randomBytes(24).toString('base64url'), timeoutMs: flow.timeoutMs });
  try {
    const auth = authClient(project);
    if (flow.email) {
      const { error } = await auth.signInWithOtp({ email: flow.email, options: { emailRedirectTo: server.redirectTo } });
      if (error) throw authFailure(project, 'could not send the sign-in link', error);
      deps.onEvent({ type: 'linkSent', email: flow.email });
    } else {
      const { data, error } = await auth.signInWithOAuth({
        provider: flow.provider as Provider,
        options: { redirectTo: server.redirectTo, skipBrowserRedirect: true },
      });
      if (error) throw authFailure(project, `could not start the ${flow.provider} sign-in`, error);
      let opened = false;
      if (flow.openBrowser) {
        opened = await deps.openBrowser(data.url).then(
          () => true,
          () => false,
        );
      }
      deps.onEvent(opened ? { type: 'browserOpened', provider: flow.provider } : { type: 'openLink', provider: flow.provider, url: data.url });
    }
    const callback = await server.callback;
    const { data, error } = await auth.exchangeCodeForSession(callback.code);
    if (error || !data.session) {
      callback.reply({ ok: false, title: 'Sign-in failed', detail: 'Supabase did not accept the sign-in code. Run slides login again.' });
      throw error ? authFailure(project, 'Supabase did not accept the sign-in code', error) : new AuthError('Supabase returned no session');
    }
    const session = toStoredSession(data.session);
    const who = session.user.email ?? session.user.id;
    callback.reply({ ok: true, title: 'Signed in to slides', detail: `Signed in as ${who}. You can close this tab and return to the terminal.` });
    return session;
  } finally {
    server.close();
  }
}
