import { isAuthRetryableFetchError } from '@supabase/supabase-js';
import { authClient } from '../db/supabase/client.js';
import { sessionExpired, unreachable } from '../db/supabase/errors.js';
import type { Project } from './project.js';
import { toStoredSession, type StoredSession } from './session.js';

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
