import type { Rows } from '../../src/db/backend.js';

export class InjectedFault extends Error {}

const WRITES = ['insert', 'update', 'delete', 'rpc'] as const;

/**
 * `rows` whose write number `n` (inserts, updates, deletes and rpc calls, from 1) throws before it
 * reaches the database, as a process stopped at that point would leave things. `writes()` counts
 * the writes attempted so far.
 */
export function failingAtWrite(rows: Rows, n: number): Rows & { writes(): number } {
  let count = 0;
  const wrapped = { ...rows, writes: () => count } as Rows & { writes(): number };
  for (const name of WRITES) {
    const write = rows[name] as (...args: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      count += 1;
      if (count === n) return Promise.reject(new InjectedFault(`stopped at write ${n} (${name})`));
      return write(...args);
    };
  }
  return wrapped;
}
