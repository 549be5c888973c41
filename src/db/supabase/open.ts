import { projectFromConfig, type Project } from '../../auth/project.js';
import type { StoredSession } from '../../auth/session.js';
import { signedInSession } from '../../auth/signedIn.js';
import type { Context } from '../../context.js';
import type { Backend } from '../backend.js';
import { userClient } from './client.js';
import { supabaseRows } from './rows.js';
import { supabaseStorage } from './storage.js';

/** The Backend for one signed-in user of one project. */
export function supabaseBackend(project: Project, session: StoredSession): Backend {
  const client = userClient(project, session.access_token);
  return {
    kind: 'supabase',
    identity: { userId: session.user.id, email: session.user.email, project: project.ref },
    rows: supabaseRows(client, project.url),
    storage: supabaseStorage(client, project, session.access_token),
    // Nothing to release: slides opens no realtime channel, and removeAllChannels() would leave
    // realtime-js's 10 s disconnect timer holding every command open after its work is done.
    close: async () => {},
  };
}

export async function openSupabaseBackend(ctx: Context): Promise<Backend> {
  const project = projectFromConfig(ctx.config);
  return supabaseBackend(project, await signedInSession(ctx, project));
}
