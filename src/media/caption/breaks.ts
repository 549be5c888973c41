/** A piece of a space-free stretch of text that a line may end after, with its offset in that stretch. */
export interface BreakUnit {
  text: string;
  start: number;
}

/** Ideographs, kana, CJK punctuation and full-width forms: a line may break between any two of them. */
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef]/u;

/** Scripts written without spaces between words, whose words ICU's dictionaries find. */
const SPACELESS = /[\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;

/** Kinsoku: closing marks, small kana, iteration and prolonged-sound marks never start a line. */
const NO_LINE_START = new Set(
  [...'、。，．・：；？！）」』】〕〉》〙〗｝］〟’”ー…‥ゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ〜～ๆ!),.:;?]}%'],
);

/** Kinsoku: opening brackets and quotes never end a line. */
const NO_LINE_END = new Set([...'「『（【〔〈《〘〖｛［〝‘“([{']);

const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Where a line may break inside a stretch of text without spaces: between any two CJK
 * characters, and around them, unless kinsoku forbids it; between the words of Thai, Lao, Khmer
 * and Myanmar; never inside Latin, Cyrillic, Hangul, Arabic… words, which keep breaking at
 * spaces only.
 */
export function breakUnits(stretch: string): BreakUnit[] {
  const units: BreakUnit[] = [];
  for (const piece of piecesOf(stretch)) {
    const previous = units.at(-1);
    if (previous && !mayBreakBetween(previous.text, piece.text)) previous.text += piece.text;
    else units.push(piece);
  }
  return units;
}

/** ICU's words, with any word holding CJK split into its characters. */
function piecesOf(stretch: string): BreakUnit[] {
  const pieces: BreakUnit[] = [];
  for (const { segment, index } of words.segment(stretch)) {
    if (CJK.test(segment)) {
      for (const g of graphemes.segment(segment)) pieces.push({ text: g.segment, start: index + g.index });
    } else {
      pieces.push({ text: segment, start: index });
    }
  }
  return pieces;
}

function mayBreakBetween(before: string, after: string): boolean {
  const last = [...before].at(-1) ?? '';
  const first = [...after][0] ?? '';
  if (NO_LINE_START.has(first) || NO_LINE_END.has(last)) return false;
  return isBreakable(last) || isBreakable(first);
}

function isBreakable(char: string): boolean {
  return CJK.test(char) || SPACELESS.test(char);
}
