import type { SupabaseClient } from '@supabase/supabase-js';
import type { InsertOptions, Rows, SelectQuery, TableName, Tables, Where } from '../backend.js';
import { rowsError } from './errors.js';

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
}

/** supabase-js's builders seen through what this adapter calls: tables are chosen at run time. */
interface Query extends Filterable<Query>, PromiseLike<Reply> {
  select(columns: string): Query;
  order(column: string, options: { ascending: boolean }): Query;
  limit(count: number): Query;
}
interface Table {
  select(columns: string): Query;
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

/** Rows through PostgREST with the user's token: RLS decides what each call sees and changes. */
export function supabaseRows(client: SupabaseClient, url: string): Rows {
  const from = (table: string) => client.from(table) as unknown as Table;
  const settle = async <T>(request: PromiseLike<Reply>): Promise<T> => {
    const { data, error, status } = await request;
    if (error) throw rowsError(url, status, error);
    return data as T;
  };
  const requireWhere = (table: string, where: Where<object>) => {
    if (!Object.values(where).some((v) => v !== undefined)) throw new Error(`delete from ${table} without a condition`);
  };
  return {
    select: <T extends TableName>(table: T, query: SelectQuery<Tables[T]> = {}) => {
      let q = applyWhere(from(table).select('*'), query.where as Where<object>);
      for (const o of query.order ?? []) q = q.order(o.column, { ascending: o.ascending !== false });
      if (query.limit !== undefined) q = q.limit(Math.max(0, Math.floor(query.limit)));
      return settle<Tables[T][]>(q);
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
