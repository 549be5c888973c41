import { AuthError } from '../errors.js';
import { credentialStore, type CredentialStore } from './credentials.js';
import { keychainAccount, noKeychain, osKeychain } from './keychain.js';
import { projectRef, type Project } from './project.js';
import { refreshSession } from './refresh.js';
import { needsRefresh, sessionFromEnv, type StoredSession } from './session.js';

/** What a profile's credentials report: a warning line (no keychain: a file is used), or a refresh. */
export type SessionEvent = { type: 'warning'; text: string } | { type: 'refreshed' };

/** Where a profile's credentials are kept. */
export interface SessionPlace {
  env: NodeJS.ProcessEnv;
  /** The profile's config folder: the 0600 credentials file without a keychain. */
  configDir: string;
  profile: string;
  onEvent?: (event: SessionEvent) => void;
}

export { keychainAccount };

/** The credential store of the profile and project in use; SLIDES_KEYCHAIN=off skips the keychain. */
export async function storeFor(place: SessionPlace, project: Project): Promise<CredentialStore> {
  const keychain = place.env.SLIDES_KEYCHAIN === 'off' ? noKeychain : await osKeychain();
  return credentialStore({
    configDir: place.configDir,
    account: keychainAccount(project.ref, place.profile),
    keychain,
    warn: (text) => place.onEvent?.({ type: 'warning', text }),
  });
}

/**
 * The session a command acts with: SLIDES_ACCESS_TOKEN when set (CI), else the stored one,
 * refreshed when about to expire and stored back, since Auth has rotated its refresh token.
 */
export async function signedInSession(place: SessionPlace, project: Project): Promise<StoredSession> {
  const fromEnv = sessionFromEnv(place.env);
  if (fromEnv) return needsRefresh(fromEnv) ? refreshSession(project, fromEnv) : fromEnv;
  const store = await storeFor(place, project);
  const stored = store.load();
  if (!stored) throw new AuthError(`not signed in to the Supabase project ${project.ref}`, { hint: 'run slides login' });
  if (!needsRefresh(stored)) return stored;
  const fresh = await refreshSession(project, stored);
  store.save(fresh);
  place.onEvent?.({ type: 'refreshed' });
  return fresh;
}

/** Deletes a profile's keychain entry for a project, for `slides profile rm`; no keychain, nothing to do. */
export async function forgetKeychainSession(env: NodeJS.ProcessEnv, profile: string, projectUrl: string): Promise<void> {
  if (env.SLIDES_KEYCHAIN === 'off') return;
  try {
    (await osKeychain()).delete(keychainAccount(projectRef(projectUrl), profile));
  } catch {
    // no keychain, or no entry: nothing is left behind either way
  }
}
