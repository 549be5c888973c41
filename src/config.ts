import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.js';

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone (e.g. Europe/Paris)');

/** Every setting the CLI knows: its type, its environment variables, whether it is secret. */
export const SETTINGS = {
  backend: { schema: z.enum(['local', 'supabase']), env: ['SLIDES_BACKEND'], secret: false },
  'supabase.url': { schema: z.url(), env: ['SLIDES_SUPABASE_URL', 'SUPABASE_URL'], secret: false },
  'supabase.anonKey': { schema: z.string().min(20), env: ['SLIDES_SUPABASE_ANON_KEY', 'SUPABASE_ANON_KEY'], secret: true },
  timezone: { schema: timezone, env: ['SLIDES_TIMEZONE'], secret: false },
  'render.preset': { schema: z.enum(['9:16', '4:5', '1:1']), env: ['SLIDES_PRESET'], secret: false },
  'render.style': { schema: z.enum(['outline', 'box', 'shadow']), env: ['SLIDES_STYLE'], secret: false },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]?: z.infer<(typeof SETTINGS)[K]['schema']> };
export type SettingSource = 'flag' | 'env' | 'file' | 'default';

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function parseSetting<K extends SettingKey>(key: K, raw: string): NonNullable<Settings[K]> {
  const result = SETTINGS[key].schema.safeParse(raw);
  if (!result.success) {
    throw new UsageError(`invalid value for ${key}: ${result.error.issues[0]?.message ?? 'rejected'}`);
  }
  return result.data as NonNullable<Settings[K]>;
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
    if (!isSettingKey(key) || typeof value !== 'string') continue;
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
  };
}

/** Shows a secret's shape, never its value. */
export function maskSecret(value: string): string {
  return `********(${value.length} chars)`;
}
