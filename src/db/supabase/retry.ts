import isNetworkError from 'is-network-error';
import pRetry from 'p-retry';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** The first wait in ms; each next one doubles, randomised up to 2x so machines do not retry in step. */
  minTimeout: number;
}

/**
 * Waits of 0.3, 0.6 and 1.2 s, each stretched by up to 2x at random (2.1–4.2 s in all): enough for
 * a dropped connection or a gateway restarting, short enough that an offline command fails
 * (exit 5) sooner than with supabase-js's own 1+2+4 s.
 */
export const TRANSIENT_RETRY: RetryPolicy = { retries: 3, minTimeout: 300 };

/** No reply, a server error or a rate limit: the same request may well succeed a moment later. */
export function isTransientStatus(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** A failure as the server (or the lack of one) reported it, held raw until retrying is over. */
export class TransientFailure<F> extends Error {
  constructor(readonly failure: F) {
    super('transient failure');
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** A connection that failed or broke off, thrown by fetch or by a response body cut short. */
export function isConnectionError(error: unknown): boolean {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (isNetworkError(e)) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Runs `attempt` until it succeeds or fails for good. It throws a TransientFailure to ask for
 * another try; anything else it throws (a 4xx mapped to its error, a local error) ends it at once.
 * Once the retries are spent, the last TransientFailure is handed to `settle`, which turns it
 * into the error the caller throws.
 */
export async function withRetry<T, F>(
  attempt: (attemptNumber: number) => Promise<T>,
  settle: (failure: F) => Error,
  policy: RetryPolicy = TRANSIENT_RETRY,
): Promise<T> {
  try {
    return await pRetry(attempt, {
      retries: policy.retries,
      minTimeout: policy.minTimeout,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof TransientFailure,
    });
  } catch (error) {
    if (error instanceof TransientFailure) throw settle(error.failure as F);
    throw error;
  }
}
