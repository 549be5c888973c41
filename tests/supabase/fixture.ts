import type { Project } from '../../src/auth/project.js';
import { toStoredSession, type StoredSession } from '../../src/auth/session.js';
import type { Backend } from '../../src/db/backend.js';
import { supabaseBackend } from '../../src/db/supabase/open.js';
import type { RetryPolicy } from '../../src/db/supabase/retry.js';
import { startSupabaseStub, type SupabaseStub, type StubUser } from './stub.js';

/** The production policy's shape with waits short enough for tests. */
export const QUICK_RETRY: RetryPolicy = { retries: 3, minTimeout: 20 };

export interface StubbedProject {
  stub: SupabaseStub;
  project: Project;
  /**
   * A backend acting as `user` (a new one by default), with a token valid for `expiresIn` seconds
   * of the stub's clock, which the backend also reads to decide when to refresh.
   */
  backendFor(user?: StubUser, options?: { expiresIn?: number; onRefresh?: (session: StoredSession) => void }): Promise<Backend>;
}

export async function stubbedProject(): Promise<StubbedProject> {
  const stub = await startSupabaseStub();
  const project: Project = { url: stub.url, anonKey: stub.anonKey, ref: stub.ref };
  return {
    stub,
    project,
    async backendFor(user, options = {}) {
      const who = user ?? (await stub.createUser());
      const session = toStoredSession(stub.session(who, options), stub.now());
      return supabaseBackend(project, session, { retry: QUICK_RETRY, now: stub.now, onRefresh: options.onRefresh });
    },
  };
}
