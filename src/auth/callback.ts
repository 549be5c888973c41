import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../errors.js';
import { callbackPage } from './page.js';

export interface CallbackReply {
  ok: boolean;
  title: string;
  detail: string;
}

/** The code Auth sent back, and the way to answer the browser once the exchange is done. */
export interface Callback {
  code: string;
  reply(page: CallbackReply): void;
}

export interface CallbackServer {
  /** Where Auth must send the browser: `http://127.0.0.1:PORT/callback?state=…`. */
  redirectTo: string;
  /** The same address without the state, for providers that pass `state` on their own (TikTok). */
  redirectUri: string;
  /** The first request to /callback: a code with the right state, or an AuthError. */
  callback: Promise<Callback>;
  close(): void;
}

function send(res: ServerResponse, status: number, page: CallbackReply): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(callbackPage(page));
}

/** Who the browser signs in with, and the command that starts over. */
export interface CallbackService {
  name: string;
  retry: string;
}

const SUPABASE: CallbackService = { name: 'Supabase Auth', retry: 'slides login' };

/**
 * A one-shot HTTP server on 127.0.0.1 at a free port. Only /callback counts (browsers also ask
 * for /favicon.ico); its `state` must be the one this login put in `redirectTo`, since Auth
 * passes that query through untouched and a mismatch means the reply belongs to another flow.
 */
export async function startCallbackServer(o: {
  state: string;
  timeoutMs: number;
  /** `/callback` by default; TikTok's registered URI ends in a slash. */
  path?: string;
  service?: CallbackService;
}): Promise<CallbackServer> {
  const path = o.path ?? '/callback';
  const service = o.service ?? SUPABASE;
  const again = `run ${service.retry} again`;
  let settle!: { resolve(c: Callback): void; reject(e: Error): void };
  const callback = new Promise<Callback>((resolve, reject) => (settle = { resolve, reject }));
  // The login may still be talking to Auth when a timeout fires; it reads the rejection later.
  callback.catch(() => undefined);
  let done = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path || done) {
      res.writeHead(404, { connection: 'close' }).end();
      return;
    }
    done = true;
    clearTimeout(timer);
    const params = url.searchParams;
    const failed = (message: string, detail: string) => {
      send(res, 400, { ok: false, title: 'Sign-in failed', detail });
      settle.reject(new AuthError(message, { hint: again }));
      close();
    };
    if (params.get('state') !== o.state) {
      failed('the sign-in reply did not carry the state this login sent; it was ignored', `This link does not belong to the slides sign-in that is waiting. Run ${service.retry} again.`);
      return;
    }
    if (params.get('error') === 'access_denied') {
      failed(`the sign-in was cancelled in the browser (${service.name}: access_denied)`, `Nothing was connected. Run ${service.retry} again when you are ready.`);
      return;
    }
    const error = params.get('error_description') ?? params.get('error');
    if (error) {
      failed(`${service.name} refused the sign-in: ${error}`, `${service.name} said: ${error}`);
      return;
    }
    const code = params.get('code');
    if (!code) {
      failed('the sign-in reply had no code', `The reply from ${service.name} had no code. Run ${service.retry} again.`);
      return;
    }
    settle.resolve({
      code,
      reply: (page) => {
        send(res, page.ok ? 200 : 400, page);
        close();
      },
    });
  });
  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeIdleConnections();
  };
  const timer = setTimeout(() => {
    done = true;
    const minutes = o.timeoutMs / 60_000;
    const after = minutes >= 1 ? `${Number(minutes.toFixed(1))} min` : `${Math.round(o.timeoutMs / 1000)} s`;
    settle.reject(new AuthError(`no sign-in arrived within ${after}`, { hint: `${again} (with --no-browser to open the link yourself)` }));
    close();
  }, o.timeoutMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}${path}`;
  return { redirectTo: `${redirectUri}?state=${encodeURIComponent(o.state)}`, redirectUri, callback, close };
}
