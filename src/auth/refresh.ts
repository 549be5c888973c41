import { isAuthRetryableFetchError } from '@supabase/supabase-js';
import { authClient } from '../db/supabase/client.js';
import { sessionExpired, unreachable } from '../db/supabase/errors.js';
import type { Project } from './project.js';
import { needsRefresh, toStoredSession, type StoredSession } from './session.js';

/** Trades the refresh token for a new session (Auth rotates the refresh token too). */
export async function refreshSession(project: Project, session: StoredSession): Promise<StoredSession> {
  if (!session.refresh_token) throw sessionExpired();
  let result;
  try {
    result = await authClient(project).refreshSession({ refresh_token: session.refresh_token });
  } catch (error) {
    throw unreachable(project.url, error);
  }
  const { data, error } = result;
  if (error && isAuthRetryableFetchError(error)) throw unreachable(project.url, error);
  if (error || !data.session) throw sessionExpired(error ?? undefined);
  return toStoredSession(data.session);
}

/** The signed-in user's session over a whole command, however long it runs. */
export interface LiveSession {
  readonly user: StoredSession['user'];
  /**
   * A token with at least a minute left, refreshed first when it has less: called before each
   * request, so a render or upload that crosses the expiry goes on with a fresh token.
   */
  accessToken(): Promise<string>;
}

export interface LiveSessionOptions {
  /** Called with each refreshed session: Auth rotated the refresh token, so it must be kept. */
  onRefresh?: (session: StoredSession) => void;
  /** Unix seconds; real time unless a test drives it. */
  now?: () => number;
}

/** After a failed refresh (Auth's client already retried it for up to 30 s), wait this long before the next. */
const RETRY_REFRESH_SECONDS = 30;

/**
 * Concurrent callers share one refresh. A refresh that fails leaves the current token in use:
 * it may still have its last minute, and if not, the request's own 401 says to sign in again.
 */
export function liveSession(project: Project, initial: StoredSession, o: LiveSessionOptions = {}): LiveSession {
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  let current = initial;
  let refreshing: Promise<void> | null = null;
  let notBefore = 0;
  const refresh = async () => {
    try {
      current = await refreshSession(project, current);
      o.onRefresh?.(current);
    } catch {
      notBefore = now() + RETRY_REFRESH_SECONDS;
    } finally {
      refreshing = null;
    }
  };
  return {
    user: initial.user,
    async accessToken() {
      if (current.refresh_token && needsRefresh(current, now()) && now() >= notBefore) await (refreshing ??= refresh());
      return current.access_token;
    },
  };
}
