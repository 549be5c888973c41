import type { Transaction } from '@electric-sql/pglite';
import { DatabaseError } from '../../errors.js';
import type { Transactor } from './reopening.js';
import type { InsertOptions, Rows, SelectQuery, TableName, Tables, Where } from '../backend.js';
import { deleteSql, insertSql, rpcSql, selectSql, updateSql, type Statement } from './sql.js';

export type Queryable = Pick<Transaction, 'query' | 'exec'>;

/** Supabase hands out timestamps as ISO strings and bigints as numbers; so does the local adapter. */
function normalise<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : v;
  }
  return out as T;
}

/** Postgres's refusals (PGlite's errors carry a severity and a SQLSTATE) as DatabaseError; anything else as it is. */
export function toDatabaseError(error: unknown): unknown {
  if (error && typeof error === 'object' && 'severity' in error && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const e = error as { code: string; message?: string; detail?: string };
    return new DatabaseError(e.message ?? 'database error', e.code, { cause: error });
  }
  return error;
}

/**
 * Runs a callback as a Supabase API request would: one transaction, `auth.uid()` set to the
 * user and the `authenticated` role, so the project's RLS policies decide what is visible.
 */
export async function asUser<T>(db: Transactor, userId: string | null, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('request.jwt.claim.sub', $1, true)`, [userId ?? '']);
      await tx.exec(`SET LOCAL ROLE ${userId ? 'authenticated' : 'anon'}`);
      return fn(tx);
    });
  } catch (error) {
    throw toDatabaseError(error);
  }
}

export function localRows(db: Transactor, userId: string | null): Rows {
  const run = async <T>(statement: Statement): Promise<T[]> =>
    asUser(db, userId, async (tx) => {
      const result = await tx.query<Record<string, unknown>>(statement.text, statement.params);
      return result.rows.map((r) => normalise<T>(r));
    });
  return {
    select: <T extends TableName>(table: T, query?: SelectQuery<Tables[T]>) =>
      run<Tables[T]>(selectSql(table, query as SelectQuery<object>)),
    insert: <T extends TableName>(table: T, rows: Partial<Tables[T]>[], options?: InsertOptions<Tables[T]>) =>
      rows.length === 0 ? Promise.resolve([]) : run<Tables[T]>(insertSql(table, rows, options as InsertOptions<object>)),
    update: <T extends TableName>(table: T, patch: Partial<Tables[T]>, where: Where<Tables[T]>) =>
      run<Tables[T]>(updateSql(table, patch, where as Where<object>)),
    delete: <T extends TableName>(table: T, where: Where<Tables[T]>) =>
      run<Tables[T]>(deleteSql(table, where as Where<object>)),
    rpc: async <R>(fn: string, args: Record<string, unknown>) => {
      const [row] = await run<Record<string, unknown>>(rpcSql(fn, args));
      // A scalar function's one column is named after it: PostgREST answers with the value itself.
      const keys = Object.keys(row ?? {});
      return (keys.length === 1 && keys[0] === fn ? row?.[fn] : row) as R;
    },
  };
}
