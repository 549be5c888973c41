import type { Project } from '../../src/auth/project.js';
import { toStoredSession } from '../../src/auth/session.js';
import type { Backend } from '../../src/db/backend.js';
import { supabaseBackend } from '../../src/db/supabase/open.js';
import { startSupabaseStub, type SupabaseStub, type StubUser } from './stub.js';

export interface StubbedProject {
  stub: SupabaseStub;
  project: Project;
  /** A backend acting as `user` (a new one by default), with a token valid for `expiresIn` seconds. */
  backendFor(user?: StubUser, options?: { expiresIn?: number }): Promise<Backend>;
}

export async function stubbedProject(): Promise<StubbedProject> {
  const stub = await startSupabaseStub();
  const project: Project = { url: stub.url, anonKey: stub.anonKey, ref: stub.ref };
  return {
    stub,
    project,
    async backendFor(user, options) {
      const who = user ?? (await stub.createUser());
      return supabaseBackend(project, toStoredSession(stub.session(who, options)));
    },
  };
}
