import type { Candidate } from './candidates.js';

export const ORDERS = ['name', 'date', 'shuffle'] as const;
export type OrderName = (typeof ORDERS)[number];

let collator: Intl.Collator | undefined;

/** Natural order of names, made on first use: ICU's collation data costs a command ~14 ms to load. */
function byName(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return collator.compare(a, b);
}

/** Items by name (natural: IMG_2 before IMG_10), by date (oldest first), or shuffled. */
export function orderCandidates<C extends Pick<Candidate, 'name' | 'date'>>(items: readonly C[], order: OrderName, random: () => number = Math.random): C[] {
  const sorted = [...items];
  if (order === 'name') return sorted.sort((a, b) => byName(a.name, b.name));
  if (order === 'date') return sorted.sort((a, b) => a.date.getTime() - b.date.getTime() || byName(a.name, b.name));
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sorted[i], sorted[j]] = [sorted[j] as C, sorted[i] as C];
  }
  return sorted;
}

/**
 * A manual reorder typed as 1-based numbers ("3 1 2"): those items first, the rest after them in
 * their current order. Null when valid, else why not.
 */
export function reorderProblem(answer: string, count: number): string | null {
  const numbers = answer.split(/[\s,]+/).filter(Boolean);
  const seen = new Set<number>();
  for (const raw of numbers) {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > count) return `${raw} is not a number from 1 to ${count}`;
    if (seen.has(n)) return `${n} is listed twice`;
    seen.add(n);
  }
  return null;
}

export function applyReorder<T>(items: readonly T[], answer: string): T[] {
  const picked = answer
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((raw) => Number(raw) - 1);
  const rest = items.map((_, i) => i).filter((i) => !picked.includes(i));
  return [...picked, ...rest].map((i) => items[i] as T);
}
