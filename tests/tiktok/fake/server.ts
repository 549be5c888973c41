import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake's routes see it: the body read whole. */
export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type FakeRoute = (req: FakeRequest, res: ServerResponse) => void | Promise<void>;

/** What both halves of the fake share: tokens the OAuth side issued, read by the posting side. */
export interface IssuedToken {
  openId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface FakeTikTok {
  /** http://127.0.0.1:PORT: the API base and the authorize page's origin. */
  readonly url: string;
  readonly accessTokens: Map<string, IssuedToken>;
  /** `METHOD /path` → handler; a later route for the same key replaces the earlier. */
  route(method: string, path: string, handler: FakeRoute): void;
  /** Every request the fake answered, in order (tests assert on what the client sent). */
  readonly log: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

/**
 * The in-process TikTok on loopback that the OAuth routes (fake/oauth.ts) and the posting routes
 * (fake/posting.ts) register into. Unknown paths answer 404 with TikTok's error envelope.
 */
export async function startFakeTikTok(): Promise<FakeTikTok> {
  const routes = new Map<string, FakeRoute>();
  const log: FakeTikTok['log'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      res.on('finish', () => log.push({ method, path: url.pathname, status: res.statusCode }));
      const handler = routes.get(`${method} ${url.pathname}`);
      if (!handler) {
        json(res, 404, { error: { code: 'not_found', message: `no route ${method} ${url.pathname}`, log_id: 'fake' } });
        return;
      }
      Promise.resolve(handler({ method, url, headers: req.headers, body: Buffer.concat(chunks) }, res)).catch((error: unknown) => {
        json(res, 500, { error: { code: 'internal_error', message: String(error), log_id: 'fake' } });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessTokens: new Map(),
    route: (method, path, handler) => void routes.set(`${method} ${path}`, handler),
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}
