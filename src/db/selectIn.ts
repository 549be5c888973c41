import type { Rows, TableName, Tables } from './backend.js';

/** PostgREST sends `in` filters in the URL: 100 values (sha256 hashes included) stay under the 8 KB proxies allow. */
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
