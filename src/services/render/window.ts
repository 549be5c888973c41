/** TikTok photo posts take at most 35 pictures. */
export const MAX_SLIDES_PER_GROUP = 35;

export interface GroupWindow {
  /** Indices into the position-ordered items, in slide order. */
  indices: number[];
  /** Where the group after this one starts. */
  nextPosition: number;
}

/**
 * The items of the next group: `perGroup` of them (default all, never more than 35) from
 * `nextPosition`, wrapping around the end, so successive groups walk through the session.
 */
export function groupWindow(itemCount: number, nextPosition: number, perGroup: number | null): GroupWindow {
  if (itemCount === 0) return { indices: [], nextPosition: 0 };
  const size = Math.min(perGroup ?? itemCount, itemCount, MAX_SLIDES_PER_GROUP);
  const start = nextPosition % itemCount;
  const indices = Array.from({ length: size }, (_, k) => (start + k) % itemCount);
  return { indices, nextPosition: (start + size) % itemCount };
}
