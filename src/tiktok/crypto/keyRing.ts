import { secretStore, type CredentialPlace, type SecretStore } from '../../auth/credentials.js';
import { keychainAccount, keychainFor } from '../../auth/keychain.js';
import { AuthError, UsageError } from '../../errors.js';
import { newTokenKey, tokenKeyFromBase64, tokenKeyToBase64, type TokenKey } from './tokenCipher.js';

export const TOKEN_KEY_ENV = 'SLIDES_TIKTOK_TOKEN_KEY';

/** The environment's key, or the profile's own (in the keychain or the 0600 file). */
export type KeySource = 'env' | 'profile';

/** Where a profile's TikTok secrets live: its config dir (the 0600 fallback file) and its keychain accounts. */
export interface SecretsHome {
  env: NodeJS.ProcessEnv;
  configDir: string;
  profile: string;
  warn(line: string): void;
}

/** A profile's secrets home from a command's context (structural: no CLI types down here). */
export function secretsHome(ctx: { io: { warn(line: string): void }; env: NodeJS.ProcessEnv; paths: { config: string }; profile: string }): SecretsHome {
  return { env: ctx.env, configDir: ctx.paths.config, profile: ctx.profile, warn: (line) => ctx.io.warn(line) };
}

export async function profileSecret<T>(home: SecretsHome, name: string, what: string, parse: (raw: unknown) => T | null): Promise<SecretStore<T>> {
  return secretStore({
    configDir: home.configDir,
    account: keychainAccount(name, home.profile),
    keychain: await keychainFor(home.env),
    warn: home.warn,
    what,
    parse,
  });
}

const parseStoredKey = (raw: unknown) => (typeof raw === 'string' && tokenKeyFromBase64(raw) ? raw : null);

/**
 * The keys that can open this profile's TikTok tokens: SLIDES_TIKTOK_TOKEN_KEY (a server) first,
 * then the one in the keychain or 0600 file. New values are sealed with the first; any of them
 * opens a value whose key id it carries, so switching to a new key loses nothing.
 */
export interface KeyRing {
  current(): TokenKey | null;
  find(keyId: string): TokenKey | null;
  /** The current key, creating and storing one on first use. */
  ensure(): TokenKey;
  /** Stores a key brought from another machine; returns where it went. */
  store(key: TokenKey): CredentialPlace;
  /** Forgets the stored key (the environment's cannot be); true when there was one. */
  forget(): boolean;
  /** Where the current key comes from, or null when there is none. */
  source(): KeySource | null;
}

export async function openKeyRing(home: SecretsHome): Promise<KeyRing> {
  const raw = home.env[TOKEN_KEY_ENV];
  const fromEnv = raw ? tokenKeyFromBase64(raw) : null;
  if (raw && !fromEnv) {
    throw new UsageError(`${TOKEN_KEY_ENV} is not a base64 key of 32 bytes`, { hint: 'make one with: openssl rand -base64 32' });
  }
  const stored = await profileSecret(home, 'tiktok-token-key', 'the TikTok token key', parseStoredKey);
  let storedKey: TokenKey | null | undefined;
  const loadStored = () => {
    if (storedKey === undefined) {
      const text = stored.load();
      storedKey = text === null ? null : tokenKeyFromBase64(text);
    }
    return storedKey;
  };
  const store = (key: TokenKey) => {
    storedKey = key;
    return stored.save(tokenKeyToBase64(key));
  };
  return {
    current: () => fromEnv ?? loadStored(),
    find: (keyId) => [fromEnv, loadStored()].find((k) => k?.id === keyId) ?? null,
    ensure() {
      const existing = fromEnv ?? loadStored();
      if (existing) return existing;
      const key = newTokenKey();
      store(key);
      return key;
    },
    store,
    forget() {
      storedKey = null;
      return stored.remove();
    },
    source: () => (fromEnv ? 'env' : loadStored() ? 'profile' : null),
  };
}

/** What a machine without the key is told: how to bring it, or to connect again. */
export function missingKey(keyId: string): AuthError {
  return new AuthError(`this machine does not have the key (id ${keyId}) the TikTok tokens were encrypted with`, {
    hint: `on the machine that connected run slides tiktok key export --out FILE, then here slides tiktok key import FILE (or set ${TOKEN_KEY_ENV}); or run slides tiktok connect again`,
  });
}
