import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { signJwt, verifyJwt } from './jwt.js';
import { answerRest, restFailure } from './postgrest.js';

/**
 * An in-process stand-in for a Supabase project: the documented HTTP surface of PostgREST
 * (/rest/v1), Auth (/auth/v1) and Storage (/storage/v1, TUS included), backed by a PGlite copy of
 * the migrated schema so RLS and constraints are the real ones. Every request is recorded, and
 * anything a real project would refuse (no apikey, a bad Bearer, a wrong PKCE verifier, a TUS
 * chunk of the wrong size) is refused here too and listed in `violations`.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface StubUser {
  id: string;
  email: string;
}

export interface StubSession {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  expires_at: number;
  token_type: 'bearer';
  user: { id: string; email: string; aud: string; role: string };
  provider_token: string;
  provider_refresh_token: string;
}

/**
 * A failure to serve instead of the next `times` requests that match: `drop` closes the connection
 * unanswered, `lose` does the work but closes the connection instead of answering, `cut` sends
 * the headers and half the body then closes it, a number answers that status (with Storage's
 * error body).
 */
export interface Fault {
  method: string;
  path: RegExp;
  times: number;
  reply: 'drop' | 'lose' | 'cut' | number;
}

export interface SupabaseStub {
  url: string;
  anonKey: string;
  ref: string;
  requests: RecordedRequest[];
  violations: string[];
  /** PostgREST's db-max-rows: no read answers more rows; settable to mimic a project that lowered it. */
  maxRows: number;
  /** Failures to serve, used up in order; see Fault. */
  faults: Fault[];
  /** Called once each response has been sent. */
  afterResponse?: (request: RecordedRequest) => void;
  /** Moves the stub's clock (token expiry and issue times) forward. */
  advanceClock(seconds: number): void;
  /** Unix seconds on the stub's clock. */
  now(): number;
  /** The provider token the stub hands out: it must never reach storage or output. */
  providerToken: string;
  /** The user the fake OAuth provider and magic links sign in. */
  signInAs: StubUser;
  /** Magic links "mailed" by /otp. */
  mailbox: Array<{ email: string; link: string }>;
  createUser(email?: string): Promise<StubUser>;
  session(user: StubUser, options?: { expiresIn?: number }): StubSession;
  close(): Promise<void>;
}

const TUS_CHUNK = 6 * 1024 * 1024;
const JWT_SECRET = 'stub-jwt-secret-at-least-32-characters-long';

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function metadataOf(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key) out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return out;
}

interface Flow {
  challenge: string;
  redirectTo: string;
  user: StubUser;
}

interface TusUpload {
  bucket: string;
  key: string;
  contentType: string;
  upsert: boolean;
  length: number;
  data: Buffer[];
  offset: number;
  sub: string;
}

/** Supabase's default db-max-rows. */
const SUPABASE_MAX_ROWS = 1000;

export async function startSupabaseStub(): Promise<SupabaseStub> {
  const database: TestDatabase = await testDatabase();
  const db: PGlite = database.db;
  const anonKey = signJwt({ role: 'anon', iss: 'supabase-stub' }, JWT_SECRET);
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const objects = new Map<string, { data: Buffer; contentType: string }>();
  const flows = new Map<string, Flow>();
  const refreshTokens = new Map<string, { user: StubUser; sessionId: string }>();
  const revokedSessions = new Set<string>();
  const tus = new Map<string, TusUpload>();
  const mailbox: SupabaseStub['mailbox'] = [];
  const providerToken = `gho_provider_${randomBytes(8).toString('hex')}`;
  let baseUrl = '';
  let clockOffset = 0;
  const now = () => Math.floor(Date.now() / 1000) + clockOffset;
  const faults: Fault[] = [];

  async function createUser(email = `${randomUUID()}@test.invalid`): Promise<StubUser> {
    const id = randomUUID();
    await db.query('INSERT INTO auth.users (id, email) VALUES ($1, $2)', [id, email]);
    return { id, email };
  }

  function session(user: StubUser, options: { expiresIn?: number; sessionId?: string } = {}): StubSession {
    const expiresIn = options.expiresIn ?? 3600;
    const issuedAt = now();
    const sessionId = options.sessionId ?? randomUUID();
    const refresh = randomBytes(12).toString('base64url');
    refreshTokens.set(refresh, { user, sessionId });
    return {
      access_token: signJwt(
        { sub: user.id, email: user.email, role: 'authenticated', aud: 'authenticated', exp: issuedAt + expiresIn, session_id: sessionId },
        JWT_SECRET,
      ),
      refresh_token: refresh,
      expires_in: expiresIn,
      expires_at: issuedAt + expiresIn,
      token_type: 'bearer',
      user: { id: user.id, email: user.email, aud: 'authenticated', role: 'authenticated' },
      provider_token: providerToken,
      provider_refresh_token: `${providerToken}_refresh`,
    };
  }

  const signInAs = await createUser('creator@example.com');

  /** The JWT's claims, or why it is refused. */
  function bearer(req: IncomingMessage): { claims: Record<string, unknown> } | { refused: string } {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return { refused: 'no Bearer token' };
    const claims = verifyJwt(header.slice(7), JWT_SECRET);
    if (!claims) return { refused: 'JWT signature invalid' };
    if (typeof claims.exp === 'number' && claims.exp <= now()) return { refused: 'JWT expired' };
    if (typeof claims.session_id === 'string' && revokedSessions.has(claims.session_id)) return { refused: 'session revoked' };
    return { claims };
  }

  async function auth(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: Buffer) {
    const form = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    if (req.method === 'GET' && path === '/auth/v1/authorize') {
      const provider = query.get('provider');
      const redirectTo = query.get('redirect_to') ?? '';
      const challenge = query.get('code_challenge');
      if (!provider || !['github', 'google'].includes(provider)) return json(res, 400, { code: 'validation_failed', msg: 'Unsupported provider: provider is not enabled' });
      if (!challenge || query.get('code_challenge_method') !== 's256') {
        violations.push('authorize without an s256 code_challenge');
        return json(res, 400, { code: 'validation_failed', msg: 'PKCE flow requires code_challenge' });
      }
      if (!/^http:\/\/127\.0\.0\.1:\d+\/callback(\?|$)/.test(redirectTo)) {
        violations.push(`redirect_to not allowed: ${redirectTo}`);
        return json(res, 400, { code: 'validation_failed', msg: 'redirect_to is not in the allow list' });
      }
      // The provider's consent page and its callback to Auth are elided: Auth redirects straight back.
      const code = randomUUID();
      flows.set(code, { challenge, redirectTo, user: signInAs });
      res.writeHead(302, { location: `${redirectTo}${redirectTo.includes('?') ? '&' : '?'}code=${code}` }).end();
      return;
    }
    if (req.method === 'POST' && path === '/auth/v1/otp') {
      const challenge = form.code_challenge as string | undefined;
      const redirectTo = query.get('redirect_to') ?? '';
      if (!challenge) violations.push('magic link without a code_challenge');
      const token = randomUUID();
      flows.set(token, { challenge: challenge ?? '', redirectTo, user: signInAs });
      mailbox.push({ email: String(form.email), link: `${baseUrl}/auth/v1/verify?token=${token}&type=magiclink&redirect_to=${encodeURIComponent(redirectTo)}` });
      return json(res, 200, {});
    }
    if (req.method === 'GET' && path === '/auth/v1/verify') {
      const flow = flows.get(query.get('token') ?? '');
      if (!flow) return json(res, 403, { code: 'otp_expired', msg: 'Email link is invalid or has expired' });
      const code = randomUUID();
      flows.delete(query.get('token') ?? '');
      flows.set(code, flow);
      res.writeHead(303, { location: `${flow.redirectTo}${flow.redirectTo.includes('?') ? '&' : '?'}code=${code}` }).end();
      return;
    }
    if (req.method === 'POST' && path === '/auth/v1/token' && query.get('grant_type') === 'pkce') {
      const flow = flows.get(String(form.auth_code));
      flows.delete(String(form.auth_code));
      if (!flow) return json(res, 404, { code: 'flow_state_not_found', msg: 'invalid flow state, no valid flow state found' });
      const verifier = String(form.code_verifier ?? '');
      if (createHash('sha256').update(verifier).digest('base64url') !== flow.challenge) {
        violations.push('pkce exchange with a verifier that does not match the challenge');
        return json(res, 403, { code: 'bad_code_verifier', msg: 'code challenge does not match previously saved code verifier' });
      }
      return json(res, 200, session(flow.user));
    }
    if (req.method === 'POST' && path === '/auth/v1/token' && query.get('grant_type') === 'refresh_token') {
      const known = refreshTokens.get(String(form.refresh_token));
      if (!known || revokedSessions.has(known.sessionId)) {
        return json(res, 400, { code: 'refresh_token_not_found', error: 'invalid_grant', error_description: 'Invalid Refresh Token: Refresh Token Not Found' });
      }
      refreshTokens.delete(String(form.refresh_token));
      return json(res, 200, session(known.user, { sessionId: known.sessionId }));
    }
    const who = bearer(req);
    if ('refused' in who) return json(res, 401, { code: 'bad_jwt', msg: `invalid JWT: ${who.refused}` });
    if (req.method === 'GET' && path === '/auth/v1/user') {
      return json(res, 200, { id: who.claims.sub, email: who.claims.email, aud: 'authenticated', role: 'authenticated' });
    }
    if (req.method === 'POST' && path === '/auth/v1/logout') {
      revokedSessions.add(String(who.claims.session_id));
      res.writeHead(204).end();
      return;
    }
    json(res, 404, { msg: `stub: no route ${req.method} ${path}` });
  }

  /**
   * One transaction acting as the caller, the way PostgREST and Storage run each request: the
   * JWT's claims in `request.jwt.claims`, its role as the current role, times printed in UTC.
   */
  async function asCaller<T>(claims: Record<string, unknown>, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const role = claims.role === 'authenticated' || claims.role === 'service_role' ? claims.role : 'anon';
    return db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
      await tx.exec(`SET LOCAL ROLE ${role}; SET LOCAL TIME ZONE 'UTC'`);
      return fn(tx);
    });
  }
  const asSub = <T>(sub: string, fn: (tx: Transaction) => Promise<T>) => asCaller({ sub, role: 'authenticated' }, fn);

  async function rest(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: Buffer, claims: Record<string, unknown>) {
    const prefer = String(req.headers.prefer ?? '');
    const table = /^\/rest\/v1\/([a-z_][a-z0-9_]*)$/.exec(path)?.[1];
    if (table && req.method === 'POST' && !prefer.includes('missing=default')) violations.push(`insert into ${table} without Prefer missing=default`);
    if (table && query.get('on_conflict') && !prefer.includes('resolution=ignore-duplicates')) violations.push('on_conflict without resolution=ignore-duplicates');
    if (table && req.method !== 'GET' && !prefer.includes('return=representation')) violations.push(`${req.method} ${table} without return=representation`);
    const request = { method: req.method ?? '', path, query, headers: req.headers, body };
    const signedIn = claims.role === 'authenticated';
    let reply;
    try {
      reply = await asCaller(claims, (tx) => answerRest(tx, request, { maxRows: stub.maxRows, signedIn }));
    } catch (error) {
      reply = restFailure(error, signedIn);
    }
    res.writeHead(reply.status, reply.headers).end(reply.body);
  }

  const storageError = (res: ServerResponse, status: number, statusCode: string, error: string, message: string) =>
    json(res, status, { statusCode, error, message });

  /** Writes the storage.objects row as the user, so the bucket policies decide. */
  async function putObject(sub: string, bucket: string, key: string, data: Buffer, contentType: string, upsert: boolean): Promise<'ok' | 'exists' | 'denied'> {
    try {
      return await asSub(sub, async (tx) => {
        const metadata = JSON.stringify({ size: data.length, mimetype: contentType });
        const inserted = await tx.query(
          `INSERT INTO storage.objects (bucket_id, name, owner, metadata) VALUES ($1, $2, $3, $4) ON CONFLICT (bucket_id, name) DO NOTHING RETURNING id`,
          [bucket, key, sub, metadata],
        );
        if (inserted.rows.length === 0) {
          if (!upsert) return 'exists';
          const updated = await tx.query(`UPDATE storage.objects SET metadata = $3 WHERE bucket_id = $1 AND name = $2 RETURNING id`, [bucket, key, metadata]);
          if (updated.rows.length === 0) return 'denied';
        }
        objects.set(`${bucket}/${key}`, { data, contentType });
        return 'ok';
      });
    } catch (error) {
      if ((error as { code?: string }).code === '42501') return 'denied';
      throw error;
    }
  }

  async function visible(sub: string, bucket: string, keys: string[]): Promise<Array<{ name: string; metadata: { size?: number; mimetype?: string } | null }>> {
    return asSub(sub, async (tx) => (await tx.query<{ name: string; metadata: { size?: number; mimetype?: string } | null }>(`SELECT name, metadata FROM storage.objects WHERE bucket_id = $1 AND name = ANY($2)`, [bucket, keys])).rows);
  }

  async function storage(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: Buffer) {
    const signed = /^\/storage\/v1\/object\/sign\/([^/]+)\/(.+)$/.exec(path);
    if (req.method === 'GET' && signed) {
      const claims = verifyJwt(query.get('token') ?? '', JWT_SECRET);
      const key = decodeURIComponent(signed[2] as string);
      if (!claims || claims.url !== `${signed[1]}/${key}` || (claims.exp as number) <= now()) {
        return storageError(res, 400, '400', 'InvalidSignature', 'The signature is invalid or expired');
      }
      const object = objects.get(`${signed[1]}/${key}`);
      if (!object) return storageError(res, 400, '404', 'not_found', 'Object not found');
      res.writeHead(200, { 'content-type': object.contentType }).end(object.data);
      return;
    }
    const who = bearer(req);
    if ('refused' in who) return storageError(res, 400, '403', 'Unauthorized', who.refused === 'JWT expired' ? 'jwt expired' : `invalid jwt: ${who.refused}`);
    const sub = String(who.claims.sub);
    const upsert = req.headers['x-upsert'] === 'true';

    if (path === '/storage/v1/upload/resumable' && req.method === 'POST') {
      if (req.headers['tus-resumable'] !== '1.0.0') violations.push('TUS create without Tus-Resumable: 1.0.0');
      const meta = metadataOf(req.headers['upload-metadata'] as string | undefined);
      for (const field of ['bucketName', 'objectName', 'contentType']) if (!meta[field]) violations.push(`TUS create without ${field} metadata`);
      const length = Number(req.headers['upload-length']);
      const exists = (await visible(sub, meta.bucketName ?? '', [meta.objectName ?? ''])).length > 0;
      if (exists && !upsert) return storageError(res, 409, '409', 'Duplicate', 'The resource already exists');
      const id = randomUUID();
      const upload: TusUpload = { bucket: meta.bucketName ?? '', key: meta.objectName ?? '', contentType: meta.contentType ?? 'application/octet-stream', upsert, length, data: [], offset: 0, sub };
      tus.set(id, upload);
      const headers: Record<string, string> = { location: `${baseUrl}/storage/v1/upload/resumable/${id}`, 'tus-resumable': '1.0.0' };
      if (body.length) {
        const done = await appendChunk(upload, body, 0);
        if (typeof done === 'string') return storageError(res, done === 'denied' ? 403 : 400, done === 'denied' ? '403' : '400', 'Unauthorized', `upload refused: ${done}`);
        headers['upload-offset'] = String(upload.offset);
      }
      res.writeHead(201, headers).end();
      return;
    }
    const tusMatch = /^\/storage\/v1\/upload\/resumable\/([0-9a-f-]+)$/.exec(path);
    if (tusMatch) {
      const upload = tus.get(tusMatch[1] as string);
      if (!upload || upload.sub !== sub) return storageError(res, 404, '404', 'not_found', 'Upload not found');
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'upload-offset': String(upload.offset), 'upload-length': String(upload.length), 'cache-control': 'no-store', 'tus-resumable': '1.0.0' }).end();
        return;
      }
      if (req.method === 'PATCH') {
        if (req.headers['content-type'] !== 'application/offset+octet-stream') violations.push('TUS PATCH without application/offset+octet-stream');
        const done = await appendChunk(upload, body, Number(req.headers['upload-offset']));
        if (done === 'offset') return storageError(res, 409, '409', 'Conflict', 'Upload-Offset does not match');
        if (typeof done === 'string') return storageError(res, 403, '403', 'Unauthorized', `upload refused: ${done}`);
        res.writeHead(204, { 'upload-offset': String(upload.offset), 'tus-resumable': '1.0.0' }).end();
        return;
      }
    }

    const list = /^\/storage\/v1\/object\/list\/([^/]+)$/.exec(path);
    if (list && req.method === 'POST') {
      const { prefix = '', limit = 100, offset = 0 } = JSON.parse(body.toString('utf8')) as { prefix?: string; limit?: number; offset?: number };
      const folder = prefix.replace(/\/+$/, '');
      const rows = await asSub(sub, async (tx) =>
        (await tx.query<{ name: string; metadata: { size?: number; mimetype?: string } | null }>(
          `SELECT name, metadata FROM storage.objects WHERE bucket_id = $1 AND starts_with(name, $2) ORDER BY name`,
          [list[1], folder ? `${folder}/` : ''],
        )).rows,
      );
      const entries = new Map<string, unknown>();
      for (const row of rows) {
        const rest = row.name.slice(folder ? folder.length + 1 : 0);
        const slash = rest.indexOf('/');
        if (slash >= 0) entries.set(rest.slice(0, slash), { name: rest.slice(0, slash), id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
        else entries.set(rest, { name: rest, id: randomUUID(), metadata: { size: row.metadata?.size, mimetype: row.metadata?.mimetype } });
      }
      return json(res, 200, [...entries.values()].slice(offset, offset + limit));
    }
    const sign = /^\/storage\/v1\/object\/sign\/([^/]+)\/(.+)$/.exec(path);
    if (sign && req.method === 'POST') {
      const key = decodeURIComponent(sign[2] as string);
      const { expiresIn } = JSON.parse(body.toString('utf8')) as { expiresIn: number };
      if ((await visible(sub, sign[1] as string, [key])).length === 0) return storageError(res, 400, '404', 'not_found', 'Object not found');
      const token = signJwt({ url: `${sign[1]}/${key}`, exp: now() + expiresIn }, JWT_SECRET);
      return json(res, 200, { signedURL: `/object/sign/${sign[1]}/${sign[2]}?token=${token}` });
    }
    const download = /^\/storage\/v1\/object\/(?:authenticated\/)?([^/]+)\/(.+)$/.exec(path);
    if (download && req.method === 'GET') {
      const key = decodeURIComponent(download[2] as string);
      const object = objects.get(`${download[1]}/${key}`);
      if (!object || (await visible(sub, download[1] as string, [key])).length === 0) return storageError(res, 400, '404', 'not_found', 'Object not found');
      res.writeHead(200, { 'content-type': object.contentType, 'content-length': String(object.data.length) }).end(object.data);
      return;
    }
    const remove = /^\/storage\/v1\/object\/([^/]+)$/.exec(path);
    if (remove && req.method === 'DELETE') {
      const { prefixes } = JSON.parse(body.toString('utf8')) as { prefixes: string[] };
      const removed = await asSub(sub, async (tx) =>
        (await tx.query<{ name: string }>(`DELETE FROM storage.objects WHERE bucket_id = $1 AND name = ANY($2) RETURNING name`, [remove[1], prefixes])).rows,
      );
      for (const r of removed) objects.delete(`${remove[1]}/${r.name}`);
      return json(res, 200, removed.map((r) => ({ name: r.name, bucket_id: remove[1] })));
    }
    const object = /^\/storage\/v1\/object\/([^/]+)\/(.+)$/.exec(path);
    if (object && (req.method === 'POST' || req.method === 'PUT')) {
      const key = decodeURIComponent(object[2] as string);
      if (body.length > TUS_CHUNK) violations.push(`standard upload of ${body.length} bytes (above 6 MB must be resumable)`);
      const outcome = await putObject(sub, object[1] as string, key, body, String(req.headers['content-type'] ?? 'application/octet-stream'), req.method === 'PUT' || upsert);
      if (outcome === 'exists') return storageError(res, 409, '409', 'Duplicate', 'The resource already exists');
      if (outcome === 'denied') return storageError(res, 403, '403', 'Unauthorized', 'new row violates row-level security policy');
      return json(res, 200, { Key: `${object[1]}/${key}`, Id: randomUUID() });
    }
    storageError(res, 404, '404', 'not_found', `stub: no route ${req.method} ${path}`);
  }

  /** A PATCH (or creation body) at `offset`: every chunk but the last is exactly 6 MiB, as Supabase requires. */
  async function appendChunk(upload: TusUpload, chunk: Buffer, offset: number): Promise<true | 'offset' | 'chunk' | 'exists' | 'denied'> {
    if (offset !== upload.offset) return 'offset';
    const last = upload.offset + chunk.length === upload.length;
    if (!last && chunk.length !== TUS_CHUNK) {
      violations.push(`TUS chunk of ${chunk.length} bytes (must be 6 MiB)`);
      return 'chunk';
    }
    upload.data.push(chunk);
    upload.offset += chunk.length;
    if (!last) return true;
    const outcome = await putObject(upload.sub, upload.bucket, upload.key, Buffer.concat(upload.data), upload.contentType, upload.upsert);
    return outcome === 'ok' ? true : outcome;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const body = await readBody(req);
      const recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      requests.push(recorded);
      res.on('finish', () => stub.afterResponse?.(recorded));
      const fault = faults.find((f) => f.times > 0 && f.method === req.method && f.path.test(url.pathname));
      if (fault) {
        fault.times -= 1;
        if (fault.reply === 'drop') return void req.socket.destroy();
        if (typeof fault.reply === 'number') return json(res, fault.reply, { statusCode: String(fault.reply), error: 'injected', message: `injected ${fault.reply}` });
        res.end = ((chunk?: Buffer | string) => {
          if (fault.reply === 'lose' || !Buffer.isBuffer(chunk)) req.socket.destroy();
          else res.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => req.socket.destroy());
          return res;
        }) as typeof res.end;
      }
      const isSignedGet = req.method === 'GET' && url.pathname.startsWith('/storage/v1/object/sign/');
      const isBrowser = url.pathname === '/auth/v1/authorize' || url.pathname === '/auth/v1/verify';
      if (!isSignedGet && !isBrowser && req.headers.apikey !== anonKey) {
        violations.push(`${req.method} ${url.pathname} without the apikey header`);
        return json(res, 401, { message: 'No API key found in request' });
      }
      if (url.pathname.startsWith('/auth/v1/')) return auth(req, res, url.pathname, url.searchParams, body);
      if (url.pathname.startsWith('/storage/v1/')) return storage(req, res, url.pathname, url.searchParams, body);
      if (url.pathname.startsWith('/rest/v1/')) {
        const who = bearer(req);
        if ('refused' in who) {
          const expired = who.refused === 'JWT expired';
          return json(res, 401, { code: expired ? 'PGRST303' : 'PGRST301', message: expired ? 'JWT expired' : who.refused, details: null, hint: null });
        }
        return rest(req, res, url.pathname, url.searchParams, body, who.claims);
      }
      json(res, 404, { message: 'stub: unknown service' });
    })().catch((error: unknown) => {
      violations.push(`stub crashed on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) json(res, 500, { message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  const stub: SupabaseStub = {
    url: baseUrl,
    anonKey,
    ref: `127.0.0.1:${port}`,
    requests,
    violations,
    maxRows: SUPABASE_MAX_ROWS,
    faults,
    advanceClock: (seconds) => void (clockOffset += seconds),
    now,
    providerToken,
    signInAs,
    mailbox,
    createUser,
    session: (user, options) => session(user, options),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
  return stub;
}
