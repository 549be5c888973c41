import { isAuthApiError } from '@supabase/supabase-js';
import { authClient } from '../db/supabase/client.js';
import { AuthError } from '../errors.js';
import type { Project } from './project.js';
import { refreshSession } from './refresh.js';
import { needsRefresh, type StoredSession } from './session.js';

/**
 * Signs this session out on the server (scope `local`: other devices stay signed in). An expired
 * access token is refreshed first, or its refresh token would outlive the logout. True when revoked
 * or already dead on the server; false when the server could not be reached.
 */
export async function revokeSession(project: Project, session: StoredSession): Promise<boolean> {
  let current = session;
  if (needsRefresh(session)) {
    try {
      current = await refreshSession(project, session);
    } catch (error) {
      return error instanceof AuthError;
    }
  }
  try {
    const { error } = await authClient(project).admin.signOut(current.access_token, 'local');
    return !error || isAuthApiError(error);
  } catch {
    return false;
  }
}
