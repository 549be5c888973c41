import { UsageError } from '../../errors.js';

const HEX_PREFIX = /^[0-9a-f-]{4,36}$/i;

/**
 * The one id among `ids` that `given` names: the whole id or a unique prefix of it (as `slides
 * session list` shows 8 characters). Ids the user cannot see are simply absent, so another user's
 * id reads as unknown.
 */
export function matchId(given: string, ids: readonly string[], what: string, hint: string): string {
  const wanted = given.trim().toLowerCase();
  const matches = HEX_PREFIX.test(wanted) ? ids.filter((id) => id.toLowerCase().startsWith(wanted)) : [];
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0) throw new UsageError(`no such ${what}: ${given}`, { hint });
  throw new UsageError(`${given} matches ${matches.length} ${what}s; give more of the id.`, { hint });
}
