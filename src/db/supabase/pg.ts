import type pg from 'pg';
import type { SqlSession } from '../migrations.js';

/** The migration runner's view of a node-postgres connection. */
export function pgSession(client: pg.Client): SqlSession {
  const session: SqlSession = {
    exec: async (sql) => {
      // No parameters: the simple query protocol, which runs a whole migration file at once.
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    transaction: async (fn) => {
      await client.query('BEGIN');
      try {
        const result = await fn(session);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return session;
}
