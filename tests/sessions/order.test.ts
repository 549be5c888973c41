import { describe, expect, it } from 'vitest';
import { exitCodeOf, type UsageError } from '../../src/errors.js';
import { matchId } from '../../src/services/sessions/ids.js';
import { applyReorder, orderCandidates, reorderProblem } from '../../src/services/sessions/order.js';

const items = [
  { name: 'IMG_10.jpg', date: new Date('2024-05-01T10:00:00Z') },
  { name: 'img_2.jpg', date: new Date('2024-05-03T10:00:00Z') },
  { name: 'IMG_1.jpg', date: new Date('2024-05-01T10:00:00Z') },
];
const names = (list: { name: string }[]) => list.map((i) => i.name);

describe('ordering', () => {
  it('by name is natural and ignores case', () => {
    expect(names(orderCandidates(items, 'name'))).toEqual(['IMG_1.jpg', 'img_2.jpg', 'IMG_10.jpg']);
  });

  it('by date is oldest first, by name within the same instant', () => {
    expect(names(orderCandidates(items, 'date'))).toEqual(['IMG_1.jpg', 'IMG_10.jpg', 'img_2.jpg']);
  });

  it('shuffle is a permutation, decided by the random source', () => {
    const shuffled = orderCandidates(items, 'shuffle', () => 0);
    expect(names(shuffled)).toEqual(['img_2.jpg', 'IMG_1.jpg', 'IMG_10.jpg']);
    expect(names(shuffled).sort()).toEqual(names(items).sort());
  });

  it('a manual reorder puts the numbers given first and the rest after, in their order', () => {
    expect(applyReorder(['a', 'b', 'c', 'd'], '3, 1')).toEqual(['c', 'a', 'b', 'd']);
    expect(reorderProblem('3 1', 4)).toBeNull();
    expect(reorderProblem('5', 4)).toBe('5 is not a number from 1 to 4');
    expect(reorderProblem('2 2', 4)).toBe('2 is listed twice');
  });
});

describe('ids', () => {
  const ids = ['1a2b3c4d-0000-4000-8000-000000000001', '1a2b9999-0000-4000-8000-000000000002'];
  const refusal = (given: string) => {
    try {
      matchId(given, ids, 'session', 'slides session list');
    } catch (e) {
      return e as UsageError;
    }
    return expect.unreachable('expected a usage error');
  };

  it('takes a whole id or a unique prefix', () => {
    expect(matchId(ids[0]!, ids, 'session', '')).toBe(ids[0]);
    expect(matchId('1A2B3C', ids, 'session', '')).toBe(ids[0]);
  });

  it('refuses an ambiguous prefix, an unknown id and a non-id with exit 2', () => {
    expect(refusal('1a2b').message).toBe('1a2b matches 2 sessions; give more of the id.');
    expect(refusal('ffff').message).toBe('no such session: ffff');
    expect(refusal("'; drop table").message).toBe("no such session: '; drop table");
    expect(exitCodeOf(refusal('1a2b'))).toBe(2);
  });
});
