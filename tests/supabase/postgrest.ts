import type { Transaction } from '@electric-sql/pglite';

/**
 * The stub's own reading of PostgREST's URL grammar, written from PostgREST's documentation and
 * independent of the local adapter's SQL (src/db/local/sql.ts), so the contract suite compares two
 * translations of the same port instead of one translation with itself. It covers what a client
 * of /rest/v1 may send: select, the eq/neq/lt/lte/gt/gte/in/is filters (with not.), order,
 * limit/offset and the Range header, the Prefer header (return, count, missing,
 * resolution), on_conflict and columns, and /rpc calls with named arguments. Like PostgREST it
 * lets Postgres build the JSON, and a read never answers more than `maxRows` rows.
 */
export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RestReply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

type Tx = Pick<Transaction, 'query'>;

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quoted(name: string): string {
  if (!NAME.test(name)) throw new RequestError(400, 'PGRST100', `"failed to parse" ${JSON.stringify(name)}`);
  return `"${name}"`;
}

const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);
const COMPARISONS: Record<string, string> = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** `(a,"b,c","d\"e")`: values with reserved characters arrive double-quoted, backslash-escaped. */
function parseList(raw: string): string[] {
  if (!raw.startsWith('(') || !raw.endsWith(')')) throw new RequestError(400, 'PGRST100', `"failed to parse filter" in.${raw}`);
  const inner = raw.slice(1, -1);
  if (inner === '') return [];
  return [...inner.matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string)));
}

/** Every query parameter that is not a reserved word is a filter `column=[not.]op.value`. */
function filters(query: URLSearchParams, params: unknown[]): string {
  const parts: string[] = [];
  for (const [column, raw] of query) {
    if (RESERVED.has(column)) continue;
    const negated = raw.startsWith('not.');
    const expression = negated ? raw.slice(4) : raw;
    const dot = expression.indexOf('.');
    const op = expression.slice(0, dot);
    const value = expression.slice(dot + 1);
    const col = quoted(column);
    let part: string;
    if (op === 'is') {
      const known = { null: 'NULL', true: 'TRUE', false: 'FALSE', unknown: 'UNKNOWN' }[value.toLowerCase()];
      if (!known) throw new RequestError(400, 'PGRST100', `"failed to parse filter" ${column}=${raw}`);
      part = `${col} IS ${known}`;
    } else if (op === 'in') {
      const list = parseList(value);
      part = list.length === 0 ? 'FALSE' : `${col} IN (${list.map((v) => `$${params.push(v)}`).join(', ')})`;
    } else if (op in COMPARISONS) {
      part = `${col} ${COMPARISONS[op]} $${params.push(value)}`;
    } else {
      throw new RequestError(400, 'PGRST100', `"failed to parse filter" ${column}=${raw}`);
    }
    parts.push(negated ? `NOT (${part})` : part);
  }
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

function selectList(query: URLSearchParams): string {
  const select = query.get('select') ?? '*';
  if (select === '*') return '*';
  return select.split(',').map((c) => quoted(c.trim())).join(', ');
}

function orderBy(query: URLSearchParams): string {
  const order = query.get('order');
  if (!order) return '';
  const terms = order.split(',').map((term) => {
    const [column = '', ...modifiers] = term.split('.');
    const words = modifiers.map((m) => {
      const word = { asc: 'ASC', desc: 'DESC', nullsfirst: 'NULLS FIRST', nullslast: 'NULLS LAST' }[m];
      if (!word) throw new RequestError(400, 'PGRST100', `"failed to parse order" ${term}`);
      return word;
    });
    return [quoted(column), ...words].join(' ');
  });
  return ` ORDER BY ${terms.join(', ')}`;
}

function preferences(headers: RestRequest['headers']): Map<string, string> {
  const raw = headers.prefer;
  const out = new Map<string, string>();
  for (const item of (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).split(',')) {
    const [key, value = ''] = item.trim().split('=');
    if (key) out.set(key, value);
  }
  return out;
}

/** The rows asked for: `offset`/`limit` parameters, else the `Range: first-last` header. */
function requestedRange(request: RestRequest): { offset: number; limit: number | null } {
  const number = (name: string) => {
    const v = request.query.get(name);
    if (v === null) return null;
    if (!/^\d+$/.test(v)) throw new RequestError(400, 'PGRST100', `"failed to parse ${name}" ${v}`);
    return Number(v);
  };
  let offset = number('offset');
  let limit = number('limit');
  const header = request.headers.range;
  const range = typeof header === 'string' ? /^(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (range) {
    const first = Number(range[1]);
    offset ??= first;
    if (limit === null && range[2]) limit = Number(range[2]) - first + 1;
  }
  return { offset: offset ?? 0, limit };
}

function jsonReply(status: number, body: string, extra: Record<string, string> = {}): RestReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...extra }, body };
}

function noContent(status: number, extra: Record<string, string> = {}): RestReply {
  return { status, headers: extra };
}

async function jsonOf(tx: Tx, sql: string, params: unknown[]): Promise<{ body: string; n: number }> {
  const { rows } = await tx.query<{ body: string | null; n: number }>(
    `WITH pgrst_result AS (${sql}) SELECT coalesce(json_agg(pgrst_result), '[]')::text AS body, count(*)::int AS n FROM pgrst_result`,
    params,
  );
  return { body: rows[0]?.body ?? '[]', n: rows[0]?.n ?? 0 };
}

async function read(tx: Tx, table: string, request: RestRequest, maxRows: number): Promise<RestReply> {
  const params: unknown[] = [];
  const where = filters(request.query, params);
  const source = `SELECT ${selectList(request.query)} FROM ${quoted(table)}${where}`;
  const { offset, limit } = requestedRange(request);
  const capped = Math.min(limit ?? maxRows, maxRows);
  const page = await jsonOf(tx, `${source}${orderBy(request.query)} LIMIT ${capped} OFFSET ${offset}`, params);
  const counting = preferences(request.headers).get('count') === 'exact';
  const total = counting ? ((await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${source}) pgrst_count`, params)).rows[0]?.n ?? 0) : null;
  const shown = page.n === 0 ? '*' : `${offset}-${offset + page.n - 1}`;
  const partial = total !== null && (offset > 0 || page.n < total);
  return jsonReply(partial ? 206 : 200, page.body, { 'content-range': `${shown}/${total ?? '*'}` });
}

function payloadRows(request: RestRequest): Record<string, unknown>[] {
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new RequestError(400, 'PGRST102', 'Empty or invalid json');
  }
  const rows = Array.isArray(payload) ? payload : [payload];
  if (!rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) throw new RequestError(400, 'PGRST102', 'Empty or invalid json');
  return rows as Record<string, unknown>[];
}

/** `columns="a","b"` names the payload keys to insert; without it every object must carry the first one's keys. */
function insertColumns(request: RestRequest, rows: Record<string, unknown>[]): string[] {
  const given = request.query.get('columns');
  if (given) return given.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const first = Object.keys(rows[0] ?? {});
  const same = rows.every((r) => Object.keys(r).length === first.length && first.every((k) => k in r));
  if (!same) throw new RequestError(400, 'PGRST102', 'All object keys must match');
  return first;
}

/** A value from the JSON body, typed by the table's own row type, as PostgREST's json_populate_record does. */
const field = (table: string, param: number, column: string) => `(json_populate_record(NULL::${quoted(table)}, $${param}::json)).${quoted(column)}`;

function insertStatement(table: string, request: RestRequest, prefer: Map<string, string>, params: unknown[]): string {
  const rows = payloadRows(request);
  const columns = insertColumns(request, rows);
  const missing = prefer.get('missing') === 'default' ? 'DEFAULT' : 'NULL';
  const values = rows.map((row) => {
    const p = params.push(JSON.stringify(row));
    return `(${columns.map((c) => (c in row ? field(table, p, c) : missing)).join(', ')})`;
  });
  const target = columns.length ? `(${columns.map(quoted).join(', ')}) VALUES ${values.join(', ')}` : 'DEFAULT VALUES';
  const onConflict = request.query.get('on_conflict');
  const resolution = prefer.get('resolution');
  let conflict = '';
  if (onConflict && resolution === 'ignore-duplicates') {
    conflict = ` ON CONFLICT (${onConflict.split(',').map(quoted).join(', ')}) DO NOTHING`;
  } else if (onConflict && resolution === 'merge-duplicates') {
    const sets = columns.map((c) => `${quoted(c)} = EXCLUDED.${quoted(c)}`).join(', ');
    conflict = ` ON CONFLICT (${onConflict.split(',').map(quoted).join(', ')}) DO UPDATE SET ${sets}`;
  } else if (resolution) {
    throw new RequestError(400, 'PGRST100', `stub: resolution=${resolution} needs on_conflict`);
  }
  return `INSERT INTO ${quoted(table)} ${target}${conflict} RETURNING *`;
}

function updateStatement(table: string, request: RestRequest, params: unknown[]): string {
  const [patch] = payloadRows(request);
  const p = params.push(JSON.stringify(patch));
  const sets = Object.keys(patch ?? {}).map((c) => `${quoted(c)} = ${field(table, p, c)}`);
  if (sets.length === 0) throw new RequestError(400, 'PGRST102', 'Empty or invalid json');
  return `UPDATE ${quoted(table)} SET ${sets.join(', ')}${filters(request.query, params)} RETURNING *`;
}

async function write(tx: Tx, table: string, request: RestRequest): Promise<RestReply> {
  const prefer = preferences(request.headers);
  const params: unknown[] = [];
  let sql: string;
  if (request.method === 'POST') sql = insertStatement(table, request, prefer, params);
  else if (request.method === 'PATCH') sql = updateStatement(table, request, params);
  else if (request.method === 'DELETE') sql = `DELETE FROM ${quoted(table)}${filters(request.query, params)} RETURNING *`;
  else throw new RequestError(405, 'PGRST117', `Unsupported HTTP method: ${request.method}`);
  const result = await jsonOf(tx, sql, params);
  const created = request.method === 'POST';
  if (prefer.get('return') === 'representation') return jsonReply(created ? 201 : 200, result.body, { 'content-range': `*/*` });
  return noContent(created ? 201 : 204, { 'content-range': `*/*` });
}

interface FunctionShape {
  args: Array<{ name: string; type: string }>;
  returnsSet: boolean;
  returnsVoid: boolean;
  /** A base, domain, enum or range type: answered as the value itself, not an object. */
  returnsScalar: boolean;
}

/** The function of that name whose arguments cover the body's keys, as PostgREST's schema cache finds it. */
async function findFunction(tx: Tx, name: string, keys: string[]): Promise<FunctionShape> {
  const { rows } = await tx.query<{ args: string; retset: boolean; void: boolean; scalar: boolean }>(
    `SELECT pg_get_function_identity_arguments(p.oid) AS args, p.proretset AS retset, p.prorettype = 'void'::regtype AS void,
            t.typtype IN ('b', 'd', 'e', 'r', 'm') AS scalar
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_type t ON t.oid = p.prorettype
      WHERE n.nspname = 'public' AND p.proname = $1`,
    [name],
  );
  for (const row of rows) {
    const args = row.args
      .split(', ')
      .filter(Boolean)
      .map((a) => a.replace(/^(IN|INOUT|VARIADIC) /, ''))
      .map((a) => ({ name: a.slice(0, a.indexOf(' ')), type: a.slice(a.indexOf(' ') + 1) }));
    if (keys.every((k) => args.some((a) => a.name === k))) return { args, returnsSet: row.retset, returnsVoid: row.void, returnsScalar: row.scalar };
  }
  throw new RequestError(404, 'PGRST202', `Could not find the function public.${name}(${keys.join(', ')}) in the schema cache`);
}

async function call(tx: Tx, name: string, request: RestRequest, maxRows: number): Promise<RestReply> {
  const [args = {}] = request.body.length ? payloadRows(request) : [];
  const keys = Object.keys(args);
  const fn = await findFunction(tx, quoted(name).slice(1, -1), keys);
  const used = fn.args.filter((a) => keys.includes(a.name));
  const record = used.length ? `json_to_record($1::json) AS pgrst_args(${used.map((a) => `${quoted(a.name)} ${a.type}`).join(', ')})` : '(SELECT) AS pgrst_args';
  const named = used.map((a) => `${quoted(a.name)} => pgrst_args.${quoted(a.name)}`).join(', ');
  const sql = `SELECT pgrst_call.* FROM ${record} CROSS JOIN LATERAL ${quoted(name)}(${named}) AS pgrst_call${fn.returnsSet ? ` LIMIT ${maxRows}` : ''}`;
  const result = await jsonOf(tx, sql, used.length ? [JSON.stringify(args)] : []);
  if (fn.returnsVoid) return noContent(204);
  const rows = JSON.parse(result.body) as Array<Record<string, unknown>>;
  const values = fn.returnsScalar ? rows.map((r) => r.pgrst_call) : rows;
  return jsonReply(200, JSON.stringify(fn.returnsSet ? values : (values[0] ?? null)));
}

/** PostgREST's documented SQLSTATE → HTTP status table, for the classes a schema can raise. */
function httpStatusOf(sqlState: string, signedIn: boolean): number {
  if (sqlState === '42501') return signedIn ? 403 : 401;
  if (sqlState === '23503' || sqlState === '23505') return 409;
  if (sqlState === '42883' || sqlState === '42P01') return 404;
  if (sqlState === 'P0001') return 400;
  if (sqlState === '25006') return 405;
  if (/^(08|53)/.test(sqlState)) return 503;
  if (/^(0L|0P|28)/.test(sqlState)) return 403;
  if (/^(09|25|2D|38|39|3B|40|54|55|57|58|F0|HV|P0|XX)/.test(sqlState)) return 500;
  return 400;
}

interface PgFailure {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

/**
 * Answers one /rest/v1 request inside `tx`, a transaction already acting as the caller (role and
 * claims set). A database error rolls the transaction back, as PostgREST's does.
 */
export async function answerRest(tx: Tx, request: RestRequest, o: { maxRows: number; signedIn: boolean }): Promise<RestReply> {
  const rpc = /^\/rest\/v1\/rpc\/([^/]+)$/.exec(request.path);
  const table = /^\/rest\/v1\/([^/]+)$/.exec(request.path)?.[1];
  if (rpc) {
    if (request.method !== 'POST') throw new RequestError(405, 'PGRST101', 'Only POST is used for functions here');
    return call(tx, rpc[1] as string, request, o.maxRows);
  }
  if (!table) throw new RequestError(404, 'PGRST125', `Invalid path specified in request URL`);
  if (request.method === 'GET') return read(tx, table, request, o.maxRows);
  return write(tx, table, request);
}

export function restFailure(error: unknown, signedIn: boolean): RestReply {
  if (error instanceof RequestError) {
    return jsonReply(error.status, JSON.stringify({ code: error.code, message: error.message, details: error.details, hint: null }));
  }
  const e = error as PgFailure;
  if (typeof e?.code !== 'string') throw error;
  return jsonReply(httpStatusOf(e.code, signedIn), JSON.stringify({ code: e.code, message: e.message ?? '', details: e.detail ?? null, hint: e.hint ?? null }));
}
