import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Project } from '../../auth/project.js';

/**
 * supabase-js 2.109 builds its realtime client eagerly and, on Node 20 (no global WebSocket),
 * throws unless it is handed a transport; the CLI never subscribes, `ws` only satisfies that.
 */
const realtime = { transport: WebSocket } as unknown as SupabaseClientOptions<'public'>['realtime'];

/** A client acting as the signed-in user: every PostgREST and Storage request asks for their current token. */
export function userClient(project: Project, accessToken: () => Promise<string>): SupabaseClient {
  return createClient(project.url, project.anonKey, { accessToken, realtime });
}

/** Key/value storage for supabase-js's auth state; here it only ever holds the PKCE code verifier. */
export interface AuthStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryAuthStorage(): AuthStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * The auth half of supabase-js for one command: PKCE, nothing refreshed behind our back, the
 * verifier in memory, so the same instance must start the flow and exchange the code.
 */
export function authClient(project: Project, storage: AuthStorage = memoryAuthStorage()): SupabaseClient['auth'] {
  return createClient(project.url, project.anonKey, {
    auth: { flowType: 'pkce', storage, autoRefreshToken: false, detectSessionInUrl: false, persistSession: true },
    realtime,
  }).auth;
}
