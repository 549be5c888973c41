import type { SessionEvent } from '../auth/signedIn.js';
import type { ResolvedConfig } from '../config.js';
import type { Paths } from '../paths.js';
import type { Backend } from './backend.js';
import type { LocalDbEvent } from './local/open.js';

export type BackendEvent = LocalDbEvent | SessionEvent;

/** The profile a backend is opened for, as plain values. */
export interface BackendPlace {
  config: ResolvedConfig;
  env: NodeJS.ProcessEnv;
  paths: Paths;
  profile: string;
  onEvent?: (event: BackendEvent) => void;
}

/** Opens the configured backend; each adapter is imported only when chosen. */
export async function openBackend(place: BackendPlace): Promise<Backend> {
  if (place.config.backend() === 'supabase') {
    const { openSupabaseBackend } = await import('./supabase/open.js');
    return openSupabaseBackend(place.config, { env: place.env, configDir: place.paths.config, profile: place.profile, onEvent: place.onEvent });
  }
  const { openLocalBackend } = await import('./local/open.js');
  return openLocalBackend({ dataRoot: place.paths.data, onEvent: place.onEvent });
}
