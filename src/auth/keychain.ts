/** The OS credential store for one service, one secret per account (project ref). */
export interface Keychain {
  get(account: string): string | null;
  set(account: string, secret: string): void;
  delete(account: string): void;
}

export const KEYCHAIN_SERVICE = 'slides';

/** A keychain account (a project ref, a TikTok secret's name) qualified by the profile, so two creators never share one. */
export function keychainAccount(name: string, profile: string): string {
  return profile === 'default' ? name : `${name}#${profile}`;
}

/** @napi-rs/keyring (Keychain, Credential Manager, Secret Service), loaded only when used. */
export async function osKeychain(service = KEYCHAIN_SERVICE): Promise<Keychain> {
  const { Entry } = await import('@napi-rs/keyring');
  return {
    get: (account) => new Entry(service, account).getPassword() ?? null,
    set: (account, secret) => new Entry(service, account).setPassword(secret),
    delete: (account) => void new Entry(service, account).deletePassword(),
  };
}

/** Stands in where there is no keychain at all (SLIDES_KEYCHAIN=off, tests). */
export const noKeychain: Keychain = {
  get: () => null,
  set: () => {
    throw new Error('no keychain');
  },
  delete: () => {},
};

/** The OS keychain, or none when SLIDES_KEYCHAIN=off (servers, tests): secrets then go to the 0600 file. */
export async function keychainFor(env: NodeJS.ProcessEnv): Promise<Keychain> {
  return env.SLIDES_KEYCHAIN === 'off' ? noKeychain : osKeychain();
}
