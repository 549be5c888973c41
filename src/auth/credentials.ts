import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Keychain } from './keychain.js';
import { parseStoredSession, type StoredSession } from './session.js';

export type CredentialPlace = 'keychain' | 'file';

/** Where one secret lives: the OS keychain, else a 0600 file in the config dir. */
export interface SecretStore<T> {
  load(): T | null;
  /** Returns where the secret went. */
  save(secret: T): CredentialPlace;
  /** Forgets the secret everywhere it may be; true when there was one. */
  remove(): boolean;
}

/** Where one project's session lives. */
export type CredentialStore = SecretStore<StoredSession>;

export function credentialsFile(configDir: string): string {
  return join(configDir, 'credentials.json');
}

type FileContent = Record<string, unknown>;

function readFile(file: string): FileContent {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return data && typeof data === 'object' ? (data as FileContent) : {};
  } catch {
    return {};
  }
}

function writeFile(configDir: string, file: string, content: FileContent): void {
  if (Object.keys(content).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export interface SecretPlace {
  configDir: string;
  /** The keychain account, and the secret's key in the fallback file. */
  account: string;
  keychain: Keychain;
  warn(line: string): void;
}

/** The Supabase session of one project. */
export function credentialStore(o: SecretPlace): CredentialStore {
  return secretStore({ ...o, what: 'the session', parse: parseStoredSession });
}

/**
 * Headless Linux and CI have no usable keychain: @napi-rs/keyring throws (D-Bus, AccessDenied)
 * or silently keeps nothing, so a write only counts once it reads back; otherwise the file.
 */
export function secretStore<T>(o: SecretPlace & { what: string; parse(raw: unknown): T | null }): SecretStore<T> {
  const file = credentialsFile(o.configDir);
  const fromKeychain = (): T | null => {
    try {
      const secret = o.keychain.get(o.account);
      return secret ? o.parse(JSON.parse(secret)) : null;
    } catch {
      return null;
    }
  };
  const toKeychain = (secret: string): boolean => {
    try {
      o.keychain.set(o.account, secret);
      return o.keychain.get(o.account) === secret;
    } catch {
      return false;
    }
  };
  const dropFromFile = (): boolean => {
    const content = readFile(file);
    if (!(o.account in content)) return false;
    delete content[o.account];
    writeFile(o.configDir, file, content);
    return true;
  };
  return {
    load: () => fromKeychain() ?? o.parse(readFile(file)[o.account]),
    save(secret) {
      if (toKeychain(JSON.stringify(secret))) {
        dropFromFile();
        return 'keychain';
      }
      const content = readFile(file);
      if (Object.keys(content).length === 0) {
        o.warn(`no OS keychain available; ${o.what} is kept in ${file}, readable only by you`);
      }
      content[o.account] = secret;
      writeFile(o.configDir, file, content);
      return 'file';
    },
    remove() {
      let had = fromKeychain() !== null;
      try {
        o.keychain.delete(o.account);
      } catch {
        // nothing to delete, or no keychain: either way it holds no secret now
      }
      if (dropFromFile()) had = true;
      return had;
    },
  };
}
