import { describe, expect, test } from 'vitest';
import { authClient } from '../../src/db/supabase/client.js';
import { supabaseBackend } from '../../src/db/supabase/open.js';
import { projectRef, type Project } from '../../src/auth/project.js';
import { toStoredSession } from '../../src/auth/session.js';
import type { Backend } from '../../src/db/backend.js';
import { stubbedProject } from '../supabase/fixture.js';
import { contractSuite } from './suite.js';

contractSuite('supabase (in-process stub of PostgREST, Auth and Storage)', async () => {
  const { stub, backendFor } = await stubbedProject();
  const backend = await backendFor();
  const other = await backendFor();
  return {
    backend,
    other,
    async close() {
      await backend.close();
      await other.close();
      await stub.close();
      expect(stub.violations).toEqual([]);
    },
  };
});

const REAL = ['SLIDES_TEST_SUPABASE_URL', 'SLIDES_TEST_SUPABASE_ANON_KEY', 'SLIDES_TEST_USER_EMAIL', 'SLIDES_TEST_USER_PASSWORD'];
const missing = REAL.filter((name) => !process.env[name]);

async function signIn(project: Project, email: string, password: string): Promise<Backend> {
  const { data, error } = await authClient(project).signInWithPassword({ email, password });
  if (error || !data.session) throw new Error(`test user ${email} could not sign in: ${error?.message}`);
  return supabaseBackend(project, toStoredSession(data.session));
}

/** Test rows and objects are removed again, children first, so a real project stays clean. */
async function emptyAccount(b: Backend): Promise<void> {
  const sessions = await b.rows.select('media_sessions');
  const ids = sessions.map((s) => s.id);
  if (ids.length) {
    await b.rows.delete('slide_groups', { session_id: { in: ids } });
    await b.rows.delete('session_media_items', { session_id: { in: ids } });
    await b.rows.delete('media_sessions', { id: { in: ids } });
  }
  const files = await b.rows.select('source_files');
  if (files.length) await b.rows.delete('source_files', { id: { in: files.map((f) => f.id) } });
  for (const bucket of ['Sources', 'Exports'] as const) {
    const objects = await b.storage.list(bucket, `${b.identity.userId}/`);
    await b.storage.remove(bucket, objects.map((o) => o.key));
  }
}

if (missing.length === 0) {
  const env = process.env as Record<string, string>;
  const url = env.SLIDES_TEST_SUPABASE_URL as string;
  const project: Project = { url, anonKey: env.SLIDES_TEST_SUPABASE_ANON_KEY as string, ref: projectRef(url) };
  contractSuite(`supabase (real project ${project.ref})`, async () => {
    const backend = await signIn(project, env.SLIDES_TEST_USER_EMAIL as string, env.SLIDES_TEST_USER_PASSWORD as string);
    const other = env.SLIDES_TEST_USER2_EMAIL
      ? await signIn(project, env.SLIDES_TEST_USER2_EMAIL, env.SLIDES_TEST_USER2_PASSWORD ?? '')
      : undefined;
    await emptyAccount(backend);
    if (other) await emptyAccount(other);
    return {
      backend,
      other,
      async close() {
        await emptyAccount(backend);
        if (other) await emptyAccount(other);
        await backend.close();
        await other?.close();
      },
    };
  });
} else {
  describe(`Backend contract: supabase (real project): skipped, set ${missing.join(', ')} (and SLIDES_TEST_USER2_EMAIL/PASSWORD for the two-user checks)`, () => {
    test.skip('runs against a real Supabase project with the migrations pushed', () => {});
  });
}
