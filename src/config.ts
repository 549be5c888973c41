import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { PRESET_NAMES } from './media/canvas.js';
import { CAPTION_STYLES } from './media/caption/look.js';

type Parse<T> = (raw: string) => { value: T } | { error: string };

const oneOf =
  <const T extends string>(values: readonly T[]): Parse<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? { value: raw as T } : { error: `expected one of ${values.join(', ')}` };

const url: Parse<string> = (raw) => {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' || u.protocol === 'http:' ? { value: raw.replace(/\/+$/, '') } : { error: 'expected an http(s) URL' };
  } catch {
    return { error: 'expected a URL such as https://abcd.supabase.co' };
  }
};

const key: Parse<string> = (raw) => (raw.trim().length >= 20 ? { value: raw.trim() } : { error: 'too short to be a key' });

/** TikTok's endpoints: https, or plain http on loopback only (tests, a local sandbox); kept verbatim, trailing slash and all. */
const endpoint: Parse<string> = (raw) => {
  try {
    const u = new URL(raw);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
    return u.protocol === 'https:' || (u.protocol === 'http:' && loopback) ? { value: raw } : { error: 'expected an https URL (http only on 127.0.0.1)' };
  } catch {
    return { error: 'expected a URL such as https://open.tiktokapis.com' };
  }
};

const token: Parse<string> = (raw) => (/^\S{4,}$/.test(raw.trim()) ? { value: raw.trim() } : { error: 'expected the value shown in the TikTok developer portal' });

/** A TikTok privacy level as creator_info names them (PUBLIC_TO_EVERYONE, SELF_ONLY…); which ones an account offers is TikTok's to say. */
const privacyLevel: Parse<string> = (raw) =>
  /^[A-Z][A-Z_]+$/.test(raw.trim()) ? { value: raw.trim() } : { error: 'expected a TikTok privacy level such as SELF_ONLY or PUBLIC_TO_EVERYONE' };

const timezone: Parse<string> = (raw) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
    return { value: raw };
  } catch {
    return { error: 'not an IANA time zone (e.g. Europe/Paris)' };
  }
};

/**
 * Every setting the CLI knows: how to parse it, its environment variables, whether it is secret.
 * Plain parsers rather than a schema library: this module loads on every command.
 */
export const SETTINGS = {
  backend: { parse: oneOf(['local', 'supabase']), env: ['SLIDES_BACKEND'], secret: false },
  'supabase.url': { parse: url, env: ['SLIDES_SUPABASE_URL', 'SUPABASE_URL'], secret: false },
  'supabase.anonKey': { parse: key, env: ['SLIDES_SUPABASE_ANON_KEY', 'SUPABASE_ANON_KEY'], secret: true },
  timezone: { parse: timezone, env: ['SLIDES_TIMEZONE'], secret: false },
  'render.preset': { parse: oneOf(PRESET_NAMES), env: ['SLIDES_PRESET'], secret: false },
  'render.style': { parse: oneOf(CAPTION_STYLES), env: ['SLIDES_STYLE'], secret: false },
  'tiktok.clientKey': { parse: token, env: ['SLIDES_TIKTOK_CLIENT_KEY'], secret: false },
  'tiktok.clientSecret': { parse: token, env: ['SLIDES_TIKTOK_CLIENT_SECRET'], secret: true, keychain: true },
  'tiktok.authUrl': { parse: endpoint, env: ['SLIDES_TIKTOK_AUTH_URL'], secret: false },
  'tiktok.apiUrl': { parse: endpoint, env: ['SLIDES_TIKTOK_API_URL'], secret: false },
  'tiktok.photoUrlPrefix': { parse: url, env: ['SLIDES_TIKTOK_PHOTO_URL_PREFIX'], secret: false },
  'publish.mode': { parse: oneOf(['draft', 'direct']), env: ['SLIDES_PUBLISH_MODE'], secret: false },
  'publish.privacy': { parse: privacyLevel, env: ['SLIDES_PUBLISH_PRIVACY'], secret: false },
} as const;

type Parsed<P> = P extends Parse<infer T> ? T : never;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]?: Parsed<(typeof SETTINGS)[K]['parse']> };
export type SettingSource = 'flag' | 'env' | 'file' | 'keychain' | 'default';

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** Kept in the keychain (or the 0600 credentials file) like the Supabase session, never in config.json. */
export function inKeychain(key: SettingKey): boolean {
  return 'keychain' in SETTINGS[key];
}

export function parseSetting<K extends SettingKey>(key: K, raw: string): NonNullable<Settings[K]> {
  const result = (SETTINGS[key].parse as Parse<unknown>)(raw);
  if ('error' in result) throw new UsageError(`invalid value for ${key}: ${result.error}`);
  return result.value as NonNullable<Settings[K]>;
}

export function configFile(configDir: string): string {
  return join(configDir, 'config.json');
}

export function readConfigFile(configDir: string): Settings {
  const file = configFile(configDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`, { hint: 'fix it or delete it and run slides config set again' });
  }
  const settings: Settings = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!isSettingKey(key) || inKeychain(key) || typeof value !== 'string') continue;
    (settings as Record<string, string>)[key] = parseSetting(key, value);
  }
  return settings;
}

export function writeConfigFile(configDir: string, settings: Settings): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = configFile(configDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export interface ResolvedConfig {
  get<K extends SettingKey>(key: K): Settings[K];
  source(key: SettingKey): SettingSource;
  /** The backend to use: a flag or setting, else supabase when a URL is configured, else local. */
  backend(): 'local' | 'supabase';
  /** The creator's local day is counted in: the `timezone` setting, else the system's zone. */
  timeZone(): string;
}

/** Precedence: flags > environment > config file > defaults. */
export function resolveConfig(flags: Settings, env: NodeJS.ProcessEnv, file: Settings): ResolvedConfig {
  const resolved = new Map<SettingKey, { value: unknown; source: SettingSource }>();
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    if (flags[key] !== undefined) {
      resolved.set(key, { value: flags[key], source: 'flag' });
      continue;
    }
    const envName = SETTINGS[key].env.find((name) => env[name]);
    if (envName) {
      resolved.set(key, { value: parseSetting(key, env[envName] as string), source: 'env' });
      continue;
    }
    if (file[key] !== undefined) resolved.set(key, { value: file[key], source: 'file' });
  }
  return {
    get: (key) => resolved.get(key)?.value as never,
    source: (key) => resolved.get(key)?.source ?? 'default',
    backend() {
      const explicit = resolved.get('backend')?.value as 'local' | 'supabase' | undefined;
      if (explicit) return explicit;
      return resolved.has('supabase.url') ? 'supabase' : 'local';
    },
    timeZone() {
      return (resolved.get('timezone')?.value as string | undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    },
  };
}

/** Shows a secret's shape, never its value. */
export function maskSecret(value: string): string {
  return `********(${value.length} chars)`;
}
