import { messageOf } from '../../errors.js';
import { apiUrl, type TikTokAccess, type TikTokEndpoints } from '../access.js';
import { TikTokRefused, TikTokUnreachable } from './errors.js';
import { RateLimiter, realWaiter, type LimitBucket, type Waiter } from './rateLimit.js';

/** Why the client is waiting before a call: inside TikTok's limits, told to by a 429, or after a 5xx. */
export interface WaitEvent {
  reason: 'limit' | 'rate-limited' | 'server-error';
  path: string;
  ms: number;
}

export interface ApiDeps {
  endpoints: TikTokEndpoints;
  access: TikTokAccess;
  waiter?: Waiter;
  onWait?: (event: WaitEvent) => void;
  /** Called once when TikTok answered access_token_invalid and the token was refreshed. */
  onRefreshed?: () => void;
}

interface Envelope<T> {
  data?: T;
  error?: { code?: string; message?: string; log_id?: string };
}

/** How long a 429 waits without Retry-After (doubling), and how much waiting in all before giving up. */
const RATE_LIMIT_BACKOFF_MS = 5_000;
const MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;
const SERVER_ERROR_RETRIES = 3;

/**
 * TikTok's data endpoints (POST JSON, Bearer token, `{data, error}` envelope): calls kept inside the
 * per-token limits, a 429 waited out (Retry-After honoured) and retried, a 5xx retried a few times,
 * and access_token_invalid answered by one refresh. Anything else not "ok" throws TikTokRefused,
 * whatever the HTTP status (TikTok sends some refusals with 200).
 */
export class TikTokApi {
  private readonly limiter: RateLimiter;
  private readonly waiter: Waiter;
  private refreshed = false;

  constructor(private readonly deps: ApiDeps) {
    this.waiter = deps.waiter ?? realWaiter;
    this.limiter = new RateLimiter(this.waiter);
  }

  async call<T>(path: string, bucket: LimitBucket, body: unknown): Promise<T> {
    let rateLimitedFor = 0;
    let backoff = RATE_LIMIT_BACKOFF_MS;
    let serverErrors = 0;
    for (;;) {
      const waited = await this.limiter.take(bucket);
      if (waited > 0) this.deps.onWait?.({ reason: 'limit', path, ms: waited });
      const token = await this.deps.access.accessToken();
      const { status, envelope, retryAfterMs } = await this.post<T>(path, token, body);
      const code = envelope?.error?.code ?? (status >= 200 && status < 300 ? 'ok' : `http_${status}`);
      if (status === 429 || code === 'rate_limit_exceeded') {
        const ms = retryAfterMs ?? backoff;
        backoff = Math.min(backoff * 2, 60_000);
        rateLimitedFor += ms;
        if (rateLimitedFor > MAX_RATE_LIMIT_WAIT_MS) throw refused(code === 'ok' ? 'rate_limit_exceeded' : code, status, envelope);
        this.deps.onWait?.({ reason: 'rate-limited', path, ms });
        await this.waiter.sleep(ms);
        continue;
      }
      if (code === 'access_token_invalid' && !this.refreshed) {
        this.refreshed = true;
        await this.deps.access.refresh();
        this.deps.onRefreshed?.();
        continue;
      }
      if (status >= 500 && serverErrors < SERVER_ERROR_RETRIES) {
        serverErrors += 1;
        const ms = 1_000 * 2 ** (serverErrors - 1);
        this.deps.onWait?.({ reason: 'server-error', path, ms });
        await this.waiter.sleep(ms);
        continue;
      }
      if (code !== 'ok') throw refused(code, status, envelope);
      if (!envelope?.data) throw new TikTokUnreachable(`TikTok answered ${path} without data (HTTP ${status})`);
      return envelope.data;
    }
  }

  private async post<T>(path: string, token: string, body: unknown): Promise<{ status: number; envelope: Envelope<T> | null; retryAfterMs: number | null }> {
    const url = apiUrl(this.deps.endpoints, path);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new TikTokUnreachable(`TikTok could not be reached at ${new URL(url).origin}: ${messageOf(error)}`, {
        hint: 'check the network (or SLIDES_TIKTOK_API_URL) and run the command again',
      });
    }
    const text = await response.text();
    let envelope: Envelope<T> | null = null;
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      envelope = null;
    }
    return { status: response.status, envelope, retryAfterMs: retryAfterMs(response.headers.get('retry-after'), this.waiter.now()) };
  }
}

function refused(code: string, status: number, envelope: Envelope<unknown> | null): TikTokRefused {
  return new TikTokRefused(code, { message: envelope?.error?.message, httpStatus: status, logId: envelope?.error?.log_id ?? null });
}

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
