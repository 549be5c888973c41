import { projectFromConfig, type Project } from '../../auth/project.js';
import { liveSession, type LiveSessionOptions } from '../../auth/refresh.js';
import { sessionFromEnv, type StoredSession } from '../../auth/session.js';
import { signedInSession, storeFor, type SessionPlace } from '../../auth/signedIn.js';
import type { ResolvedConfig } from '../../config.js';
import type { Backend } from '../backend.js';
import { userClient } from './client.js';
import { supabaseRows } from './rows.js';
import { TRANSIENT_RETRY, type RetryPolicy } from './retry.js';
import { supabaseStorage } from './storage.js';

export interface SupabaseBackendOptions extends LiveSessionOptions {
  retry?: RetryPolicy;
}

/** The Backend for one signed-in user of one project; the session is refreshed as it nears expiry. */
export function supabaseBackend(project: Project, session: StoredSession, options: SupabaseBackendOptions = {}): Backend {
  const live = liveSession(project, session, options);
  const accessToken = () => live.accessToken();
  const client = userClient(project, accessToken);
  const retry = options.retry ?? TRANSIENT_RETRY;
  return {
    kind: 'supabase',
    identity: { userId: session.user.id, email: session.user.email, project: project.ref },
    rows: supabaseRows(client, project.url, retry),
    storage: supabaseStorage(client, project, accessToken, retry),
    suspend: async () => {},
    renderTurn: async () => async () => {},
    // Nothing to release: slides opens no realtime channel, and removeAllChannels() would leave
    // realtime-js's 10 s disconnect timer holding every command open after its work is done.
    close: async () => {},
  };
}

export async function openSupabaseBackend(config: ResolvedConfig, place: SessionPlace): Promise<Backend> {
  const project = projectFromConfig(config);
  const session = await signedInSession(place, project);
  // A session from SLIDES_ACCESS_TOKEN lives in the environment; a stored one is stored again.
  const store = sessionFromEnv(place.env) ? null : await storeFor(place, project);
  return supabaseBackend(project, session, { onRefresh: store ? (fresh) => void store.save(fresh) : undefined });
}
