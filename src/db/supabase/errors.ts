import { AuthError, BackendUnavailable, DatabaseError, ObjectExists, SQLSTATE } from '../../errors.js';

const SIGN_IN_AGAIN = 'run slides login';

export function sessionExpired(cause?: unknown): AuthError {
  return new AuthError('your Supabase session has expired or was revoked', { hint: SIGN_IN_AGAIN, cause });
}

export function unreachable(url: string, cause?: unknown): BackendUnavailable {
  return new BackendUnavailable(`cannot reach Supabase at ${url}`, {
    hint: 'check the network and supabase.url (slides config get supabase.url)',
    cause,
  });
}

/** PostgREST's own codes for a missing, malformed or expired JWT. */
const JWT_CODES = new Set(['PGRST300', 'PGRST301', 'PGRST302', 'PGRST303']);

/**
 * What supabase-js's PostgREST client answers: status 0 means the request never got a reply; a
 * gateway error or a rate limit (once retries are spent) means the project is not answering.
 */
export function rowsError(url: string, status: number, error: { message: string; code?: string; details?: string | null }): Error {
  if (status === 0) return unreachable(url, error);
  if (status === 401 || (error.code !== undefined && JWT_CODES.has(error.code))) return sessionExpired(error);
  if ((status >= 502 && status <= 504) || status === 429) return unreachable(url, error);
  return new DatabaseError(error.message, error.code || undefined, { cause: error });
}

export interface StorageFailure {
  message: string;
  status?: number;
  statusCode?: string;
  name?: string;
}

/**
 * Storage answers a taken key with 409, a policy refusal with 403, and a bad or expired JWT
 * with 400/401/403 whose message names the token; StorageUnknownError means no reply at all, and
 * a 5xx or 429 that outlasted the retries means Storage is not answering.
 */
export function storageError(url: string, error: StorageFailure, key: string): Error {
  const status = error.status ?? 0;
  if (error.name === 'StorageUnknownError' || status === 0) return unreachable(url, error);
  if (status === 409 || error.statusCode === '409') {
    return new ObjectExists(`${key} already exists in storage`, { hint: 'upload with upsert to replace it', cause: error });
  }
  if (status === 401 || /jwt|token/i.test(error.message)) return sessionExpired(error);
  if (status === 403) return new DatabaseError(error.message, SQLSTATE.insufficientPrivilege, { cause: error });
  if (status >= 500 || status === 429) return unreachable(url, error);
  return new DatabaseError(`${key}: ${error.message}`, undefined, { cause: error });
}
