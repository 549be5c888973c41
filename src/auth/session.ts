import { z } from 'zod';

/**
 * The part of a Supabase session slides keeps: the two tokens, when the access token expires and
 * who it belongs to. Provider tokens (provider_token, provider_refresh_token) are never kept.
 */
export interface StoredSession {
  access_token: string;
  refresh_token: string;
  /** Unix seconds. */
  expires_at: number;
  user: { id: string; email: string | null };
}

const storedSession = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string(),
  expires_at: z.number(),
  user: z.object({ id: z.string().min(1), email: z.string().nullable() }),
});

export function parseStoredSession(value: unknown): StoredSession | null {
  const result = storedSession.safeParse(value);
  return result.success ? result.data : null;
}

interface AuthSession {
  access_token: string;
  refresh_token: string;
  expires_at?: number;
  expires_in: number;
  user: { id: string; email?: string };
}

/** Copies the allowed fields by name, so nothing else in Auth's reply can leak into storage. */
export function toStoredSession(session: AuthSession, nowSeconds = Math.floor(Date.now() / 1000)): StoredSession {
  return {
    access_token: session.access_token,
    refresh_token: session.refresh_token,
    expires_at: session.expires_at ?? nowSeconds + session.expires_in,
    user: { id: session.user.id, email: session.user.email ?? null },
  };
}

/** Refresh a minute early, so a token does not expire between the check and the request. */
const MARGIN_SECONDS = 60;

/** Token expiry is real time, never the pinned SLIDES_NOW clock that tests use for schedules. */
export function needsRefresh(session: StoredSession, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  return session.expires_at - MARGIN_SECONDS <= nowSeconds;
}

function jwtClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * CI: SLIDES_ACCESS_TOKEN (a user's JWT) with an optional SLIDES_REFRESH_TOKEN. The user and
 * expiry are read from the token's claims; its signature is checked by the project on every call.
 */
export function sessionFromEnv(env: NodeJS.ProcessEnv): StoredSession | null {
  const access = env.SLIDES_ACCESS_TOKEN;
  if (!access) return null;
  const claims = jwtClaims(access);
  const sub = claims?.sub;
  if (typeof sub !== 'string') return null;
  return {
    access_token: access,
    refresh_token: env.SLIDES_REFRESH_TOKEN ?? '',
    expires_at: typeof claims?.exp === 'number' ? claims.exp : Number.MAX_SAFE_INTEGER,
    user: { id: sub, email: typeof claims?.email === 'string' ? claims.email : null },
  };
}
