import type { ResolvedConfig } from '../config.js';
import { UsageError } from '../errors.js';

/** What a client needs to talk to one Supabase project. */
export interface Project {
  url: string;
  anonKey: string;
  /** `abcd` for https://abcd.supabase.co; host:port elsewhere (self-hosted, local stacks). */
  ref: string;
}

export function projectRef(url: string): string {
  const { hostname, host } = new URL(url);
  return hostname.endsWith('.supabase.co') ? (hostname.split('.')[0] as string) : host;
}

/** The configured project, or a usage error naming the setting to give. */
export function projectFromConfig(config: ResolvedConfig): Project {
  const url = config.get('supabase.url');
  const anonKey = config.get('supabase.anonKey');
  if (!url) {
    throw new UsageError('no Supabase project configured', {
      hint: 'run slides config set supabase.url https://<ref>.supabase.co (or set SUPABASE_URL)',
    });
  }
  if (!anonKey) {
    throw new UsageError('no Supabase anon key configured', {
      hint: 'run slides config set supabase.anonKey <key> (or set SUPABASE_ANON_KEY)',
    });
  }
  return { url: url.replace(/\/+$/, ''), anonKey, ref: projectRef(url) };
}
