import type { Rows, TableName, Tables } from '../../db/backend.js';

/** PostgREST sends `in` filters in the URL: long lists go in batches that stay well under its length limit. */
const BATCH = 100;

/** The rows whose `column` is one of `values`, however many values there are. */
export async function selectIn<T extends TableName, K extends keyof Tables[T] & string>(
  rows: Rows,
  table: T,
  column: K,
  values: readonly Tables[T][K][],
): Promise<Tables[T][]> {
  const found: Tables[T][] = [];
  for (let i = 0; i < values.length; i += BATCH) {
    const where = { [column]: { in: values.slice(i, i + BATCH) } } as never;
    found.push(...(await rows.select(table, { where })));
  }
  return found;
}
