import { describe, expect, it } from 'vitest';
import { table } from '../../src/cli/table.js';

describe('table', () => {
  it('aligns columns by width on the terminal: emoji and CJK take two cells, combining marks none', () => {
    const lines = table([
      ['NAME', 'SIZE'],
      ['🌅.jpg', '1 KB'],
      ['海辺.jpg', '2 KB'],
      ['👩‍👩‍👧.mp4', '3 KB'],
      ['cafe\u0301.jpg', '4 KB'],
      ['plain.jpg', '5 KB'],
    ]);
    expect(lines).toEqual([
      'NAME       SIZE',
      '🌅.jpg     1 KB',
      '海辺.jpg   2 KB',
      '👩‍👩‍👧.mp4     3 KB',
      'cafe\u0301.jpg   4 KB',
      'plain.jpg  5 KB',
    ]);
  });

  it('leaves no trailing spaces when the last cell is short or empty', () => {
    expect(table([['ID', 'NOTE'], ['1', ''], ['22', '猫']])).toEqual(['ID  NOTE', '1', '22  猫']);
  });
});
