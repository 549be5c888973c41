import type { SupabaseClient } from '@supabase/supabase-js';
import type { InsertOptions, Order, Rows, SelectQuery, TableName, Tables, Where } from '../backend.js';
import { rowsError } from './errors.js';
import { isTransientStatus, TransientFailure, withRetry, type RetryPolicy } from './retry.js';

const OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'is'] as const;
type OpName = (typeof OPS)[number];

/** The filter methods every supabase-js query builder has; typed loosely since tables are dynamic. */
interface Filterable<Self> {
  eq(column: string, value: unknown): Self;
  neq(column: string, value: unknown): Self;
  lt(column: string, value: unknown): Self;
  lte(column: string, value: unknown): Self;
  gt(column: string, value: unknown): Self;
  gte(column: string, value: unknown): Self;
  in(column: string, values: readonly unknown[]): Self;
  is(column: string, value: null | boolean): Self;
}

interface Reply {
  data: unknown;
  error: { message: string; code?: string } | null;
  status: number;
  /** The total PostgREST reports in Content-Range when asked to count; null otherwise. */
  count?: number | null;
}

/** supabase-js's builders seen through what this adapter calls: tables are chosen at run time. */
interface Query extends Filterable<Query>, PromiseLike<Reply> {
  select(columns: string): Query;
  order(column: string, options: { ascending: boolean }): Query;
  limit(count: number): Query;
  range(from: number, to: number): Query;
  retry(enabled: boolean): Query;
}
interface Table {
  select(columns: string, options?: { count: 'exact' }): Query;
  insert(rows: unknown[], options: { defaultToNull: boolean }): Query;
  upsert(rows: unknown[], options: { onConflict: string; ignoreDuplicates: boolean; defaultToNull: boolean }): Query;
  update(patch: unknown): Query;
  delete(): Query;
}

function isOp(condition: unknown): condition is Partial<Record<OpName, unknown>> {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return false;
  const keys = Object.keys(condition);
  return keys.length === 1 && (OPS as readonly string[]).includes(keys[0] as string);
}

/** Each key becomes one PostgREST filter (`col=eq.v`, `col=is.null`…), ANDed as the port says. */
export function applyWhere<Q extends Filterable<Q>>(query: Q, where: Where<object> | undefined): Q {
  let q = query;
  for (const [column, condition] of Object.entries(where ?? {})) {
    if (condition === undefined) continue;
    if (condition === null) {
      q = q.is(column, null);
    } else if (isOp(condition)) {
      const [op, value] = Object.entries(condition)[0] as [OpName, unknown];
      q = op === 'in' ? q.in(column, value as unknown[]) : op === 'is' ? q.is(column, value as null | boolean) : q[op](column, value);
    } else {
      q = q.eq(column, condition);
    }
  }
  return q;
}

/**
 * PostgREST answers at most `max-rows` rows per read (1000 on Supabase unless changed), silently.
 * A read that may go past it is paged with Range until the count it asked for is reached.
 */
export const ROW_CAP = 1000;

/** Pages need a total order, so the primary key breaks ties in whatever order was asked for. */
const PRIMARY_KEY: Partial<Record<TableName, string>> = { user_settings: 'user_id', tiktok_auth: 'user_id' };

function pagedOrder(table: TableName, order: readonly Order<object>[]): Order<object>[] {
  const key = PRIMARY_KEY[table] ?? 'id';
  return order.some((o) => o.column === key) ? [...order] : [...order, { column: key as never }];
}

/** Rows through PostgREST with the user's token: RLS decides what each call sees and changes. */
export function supabaseRows(client: SupabaseClient, url: string, policy: RetryPolicy): Rows {
  const from = (table: string) => client.from(table) as unknown as Table;
  const reply = async (request: PromiseLike<Reply>): Promise<Reply> => {
    const answer = await request;
    if (answer.error) throw rowsError(url, answer.status, answer.error);
    return answer;
  };
  const settle = async <T>(request: PromiseLike<Reply>): Promise<T> => (await reply(request)).data as T;
  /**
   * Reads are retried on transient failures by our policy instead of supabase-js's (1+2+4 s, on
   * network errors and 503/520 only). Writes never are: a lost reply may hide a write that won.
   */
  const read = (q: Query): Promise<Reply> =>
    withRetry(
      async () => {
        const answer = await q.retry(false);
        if (answer.error && isTransientStatus(answer.status)) throw new TransientFailure(answer);
        return reply(Promise.resolve(answer));
      },
      (answer: Reply) => rowsError(url, answer.status, answer.error ?? { message: 'no reply' }),
      policy,
    );
  const ordered = (q: Query, order: readonly Order<object>[]) =>
    order.reduce((acc, o) => acc.order(o.column, { ascending: o.ascending !== false }), q);

  /** Page after page until the total of the first reply (or `limit`) is reached. */
  async function selectAll<T>(table: TableName, query: SelectQuery<object>): Promise<T[]> {
    const wanted = query.limit === undefined ? Infinity : Math.max(0, Math.floor(query.limit));
    const order = pagedOrder(table, query.order ?? []);
    const rows: T[] = [];
    let total = Infinity;
    while (rows.length < Math.min(wanted, total)) {
      const asked = Math.min(ROW_CAP, wanted - rows.length);
      const q = ordered(applyWhere(from(table).select('*', { count: 'exact' }), query.where), order);
      const page = await read(q.range(rows.length, rows.length + asked - 1));
      const data = (page.data ?? []) as T[];
      rows.push(...data);
      // Without a count (a proxy may drop it), a short page is the last one.
      total = page.count ?? (data.length < asked ? rows.length : Infinity);
      if (data.length === 0) break;
    }
    return rows;
  }

  const requireWhere = (table: string, where: Where<object>) => {
    if (!Object.values(where).some((v) => v !== undefined)) throw new Error(`delete from ${table} without a condition`);
  };
  return {
    select: <T extends TableName>(table: T, query: SelectQuery<Tables[T]> = {}) => {
      if (query.limit === undefined || query.limit > ROW_CAP) return selectAll<Tables[T]>(table, query as SelectQuery<object>);
      const q = ordered(applyWhere(from(table).select('*'), query.where as Where<object>), (query.order ?? []) as Order<object>[]);
      return read(q.limit(Math.max(0, Math.floor(query.limit)))).then((r) => r.data as Tables[T][]);
    },
    insert: async <T extends TableName>(table: T, rows: Partial<Tables[T]>[], options: InsertOptions<Tables[T]> = {}) => {
      if (rows.length === 0) return [];
      const target = from(table);
      // missing=default: a column absent from one row takes its default, as a SQL INSERT would.
      const q = options.onConflictIgnore?.length
        ? target.upsert(rows, { onConflict: options.onConflictIgnore.join(','), ignoreDuplicates: true, defaultToNull: false })
        : target.insert(rows, { defaultToNull: false });
      return settle<Tables[T][]>(q.select('*'));
    },
    update: <T extends TableName>(table: T, patch: Partial<Tables[T]>, where: Where<Tables[T]>) => {
      const q = applyWhere(from(table).update(patch), where as Where<object>);
      return settle<Tables[T][]>(q.select('*'));
    },
    delete: <T extends TableName>(table: T, where: Where<Tables[T]>) => {
      requireWhere(table, where as Where<object>);
      const q = applyWhere(from(table).delete(), where as Where<object>);
      return settle<Tables[T][]>(q.select('*'));
    },
    rpc: <R>(fn: string, args: Record<string, unknown>) =>
      settle<R>(client.rpc(fn, args) as unknown as PromiseLike<Reply>),
  };
}
