import { describe, expect, it } from 'vitest';
import { breakUnits } from '../../src/media/caption/breaks.js';
import { cjkFamilyOrder, cjkSubsetsFor, parseUnicodeRanges } from '../../src/media/caption/cjkFonts.js';
import { lineWidth, wrapBalanced, wrapGreedy } from '../../src/media/caption/wrap.js';

const units = (stretch: string) => breakUnits(stretch).map((u) => u.text);

describe('where a line may break inside a stretch without spaces', () => {
  it.each([
    ['between any two ideographs or kana', '東京タワー', ['東', '京', 'タ', 'ワー']],
    ['never before 、。 or a closing bracket', '行く。「はい」、', ['行', 'く。', '「は', 'い」、']],
    ['never before small kana or the long-vowel mark', 'ちょっとコーヒー', ['ちょっ', 'と', 'コー', 'ヒー']],
    ['never after an opening bracket or quote', '（笑）「本当」', ['（笑）', '「本', '当」']],
    ['Chinese full-width punctuation stays with what it follows', '你好，世界！', ['你', '好，', '世', '界！']],
    ['around Latin and digits inside CJK, never inside them', '東京tower3日', ['東', '京', 'tower3', '日']],
    ['around an emoji inside CJK', '東京✨最高', ['東', '京', '✨', '最', '高']],
    ['between Thai words, by ICU dictionary', 'สวัสดีครับ', ['สวัสดี', 'ครับ']],
    ['Thai repetition mark stays with its word', 'มากๆเลย', ['มากๆ', 'เลย']],
    ['never inside a Latin word or its punctuation', 'well-known,', ['well-known,']],
    ['never inside Hangul words (Korean breaks at spaces)', '서울에서', ['서울에서']],
    ['never inside Arabic or Devanagari words', 'مرحبا', ['مرحبا']],
    ['never inside Devanagari words', 'नमस्ते', ['नमस्ते']],
  ])('%s: %s', (_rule, stretch, expected) => {
    expect(units(stretch)).toEqual(expected);
    expect(units(stretch).join('')).toBe(stretch);
  });

  it('gives each unit its offset in the stretch', () => {
    expect(breakUnits('はい。東京')).toEqual([
      { text: 'は', start: 0 },
      { text: 'い。', start: 1 },
      { text: '東', start: 3 },
      { text: '京', start: 4 },
    ]);
  });

  it('no unit starts with a character kinsoku keeps off a line start, nor ends with an opening bracket', () => {
    const text = '「今日は、東京で（ほんとに）ちょっとだけ遊んだ。」ー…ぁゃ！？';
    for (const unit of breakUnits(text).slice(1)) expect('、。」）ーぁゃ…！？').not.toContain(unit.text[0]);
    for (const unit of breakUnits(text).slice(0, -1)) expect('「（').not.toContain(unit.text.at(-1));
  });
});

describe('wrapping joined words', () => {
  /** Characters of width 1, joined to the one before; `spaced` starts a new space-separated word. */
  const word = (width: number, joined: boolean) => ({ width, joined });

  it('sets no space before a joined word, and may break before it', () => {
    const cjk = [word(1, false), word(1, true), word(1, true), word(1, true)];
    expect(lineWidth(cjk, 0.3)).toBe(4);
    expect(wrapGreedy(cjk, 0.3, 2.5).map((l) => l.length)).toEqual([2, 2]);
  });

  it('mixes spaced and joined words: "day 3 in 東京 ✨"', () => {
    const mixed = [word(2, false), word(0.6, false), word(1, false), word(1, false), word(1, true), word(1.1, false)];
    expect(lineWidth(mixed, 0.3)).toBeCloseTo(2 + 0.6 + 1 + 1 + 1 + 1.1 + 0.3 * 4);
    const lines = wrapBalanced(mixed, 0.3, 6);
    expect(lines).toHaveLength(2);
    expect(lines.flat()).toEqual(mixed);
  });
});

describe('choosing the CJK face', () => {
  it.each([
    ['kana makes it Japanese', '今日はありがとう', ['jp', 'sc', 'tc', 'kr']],
    ['hangul makes it Korean', '서울 한국 人', ['kr', 'jp', 'sc', 'tc']],
    ['simplified forms make it Simplified Chinese', '我们去了长城', ['sc', 'tc', 'jp', 'kr']],
    ['traditional forms make it Traditional Chinese', '我們去了長城', ['tc', 'sc', 'jp', 'kr']],
    ['Japanese with traditional-looking kanji stays Japanese', '東京で會う', ['jp', 'tc', 'sc', 'kr']],
  ])('%s: %s', (_rule, text, order) => {
    expect(cjkFamilyOrder(text)).toEqual(order);
  });

  it('reads a unicode-range list', () => {
    expect(parseUnicodeRanges('U+3000-303f,U+4e00, U+ff01-ff5e')).toEqual([
      [0x3000, 0x303f],
      [0x4e00, 0x4e00],
      [0xff01, 0xff5e],
    ]);
  });

  it('reads only the subsets holding the caption CJK characters, the chosen family first, none for Latin', () => {
    const tables = {
      jp: new Map([['1', parseUnicodeRanges('U+3040-309f')], ['2', parseUnicodeRanges('U+4e00-4fff')]]),
      kr: new Map([['5', parseUnicodeRanges('U+ac00-d7a3,U+4e00-4fff')]]),
      sc: new Map([['9', parseUnicodeRanges('U+4e00-9fff')]]),
      tc: new Map([['3', parseUnicodeRanges('U+4e00-9fff')]]),
    } as const;
    const subsets = (family: keyof typeof tables) => tables[family];
    expect(cjkSubsetsFor('hello world', ['jp', 'sc', 'tc', 'kr'], subsets)).toEqual([]);
    expect(cjkSubsetsFor('一 か 丁', ['jp', 'sc', 'tc', 'kr'], subsets)).toEqual([
      { family: 'jp', subset: '2' },
      { family: 'jp', subset: '1' },
    ]);
    expect(cjkSubsetsFor('서 丁 龍', ['kr', 'jp', 'sc', 'tc'], subsets)).toEqual([
      { family: 'kr', subset: '5' },
      { family: 'sc', subset: '9' },
    ]);
  });
});
