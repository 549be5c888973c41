import type { SecretStore } from '../auth/credentials.js';
import type { ResolvedConfig, SettingKey } from '../config.js';
import { UsageError } from '../errors.js';
import type { TikTokEndpoints } from './access.js';
import { profileSecret, type SecretsHome } from './crypto/keyRing.js';

export const DEFAULT_ENDPOINTS: TikTokEndpoints = {
  authUrl: 'https://www.tiktok.com/v2/auth/authorize/',
  apiUrl: 'https://open.tiktokapis.com',
};

/** SLIDES_TIKTOK_AUTH_URL / SLIDES_TIKTOK_API_URL (or tiktok.authUrl / tiktok.apiUrl), else TikTok's own. */
export function tiktokEndpoints(config: Pick<ResolvedConfig, 'get'>): TikTokEndpoints {
  return {
    authUrl: config.get('tiktok.authUrl') ?? DEFAULT_ENDPOINTS.authUrl,
    apiUrl: config.get('tiktok.apiUrl') ?? DEFAULT_ENDPOINTS.apiUrl,
  };
}

/** The creator's own TikTok developer app: its client key and secret. */
export interface TikTokApp {
  clientKey: string;
  clientSecret: string;
}

export function clientSecretStore(home: SecretsHome): Promise<SecretStore<string>> {
  return profileSecret(home, 'tiktok-client-secret', 'the TikTok client secret', (raw) => (typeof raw === 'string' && raw ? raw : null));
}

export type AppPart = 'tiktok.clientKey' | 'tiktok.clientSecret';

export class AppNotConfigured extends UsageError {
  readonly missing: AppPart[];
  constructor(missing: AppPart[]) {
    super(`no TikTok app configured (${missing.join(' and ')} not set)`, {
      hint: 'create an app at developers.tiktok.com (see the README, TikTok), then slides config set tiktok.clientKey KEY tiktok.clientSecret SECRET',
    });
    this.missing = missing;
  }
}

/** The secret comes from SLIDES_TIKTOK_CLIENT_SECRET, else the keychain (or the 0600 credentials file). */
export async function tiktokApp(config: Pick<ResolvedConfig, 'get'>, home: SecretsHome): Promise<TikTokApp> {
  const clientKey = config.get('tiktok.clientKey');
  const clientSecret = config.get('tiktok.clientSecret') ?? (await clientSecretStore(home)).load();
  const missing: AppPart[] = [];
  if (!clientKey) missing.push('tiktok.clientKey');
  if (!clientSecret) missing.push('tiktok.clientSecret');
  if (!clientKey || !clientSecret) throw new AppNotConfigured(missing);
  return { clientKey, clientSecret };
}

/** The store behind a setting kept in the keychain (config.ts marks which: today only the client secret). */
export function keychainSetting(key: SettingKey, home: SecretsHome): Promise<SecretStore<string>> {
  if (key !== 'tiktok.clientSecret') throw new Error(`${key} is not kept in the keychain`);
  return clientSecretStore(home);
}
