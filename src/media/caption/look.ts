import { InvalidSetting } from '../../errors.js';

export type CaptionStyle = 'outline' | 'box' | 'shadow';
export const CAPTION_STYLES: readonly CaptionStyle[] = ['outline', 'box', 'shadow'];

export type CaptionPosition = 'top' | 'center' | 'bottom';
export const CAPTION_POSITIONS: readonly CaptionPosition[] = ['top', 'center', 'bottom'];

/**
 * TikTok's caption look as measured on its app (sizes as fractions of the canvas width or of
 * the font size): SemiBold at ≈5.1% of the width, lines at ≈1.06–1.2, a black stroke of 3–4 px
 * at 55 px (half of the stroke hides under the fill), at most 88% of the safe width per line.
 */
export const LOOK = {
  sizeOfCanvasWidth: 0.051,
  minSizeOfCanvasWidth: 0.025,
  lineHeight: 1.16,
  boxLineHeight: 1.3,
  /** Ideographs, kana and hangul fill the em square, taller than capitals: their lines are opened up. */
  fullWidthLineHeight: 1.34,
  fullWidthBoxLineHeight: 1.48,
  maxLines: 6,
  maxWidthOfSafeWidth: 0.88,
  strokeOfSize: 0.13,
  /** Room kept around the text inside the safe zone for the stroke, shadow or box. */
  paddingOfSize: 0.36,
  boxRadiusOfSize: 0.3,
  shadowBlurOfSize: 0.09,
  shadowOffsetOfSize: 0.05,
} as const;

export interface CaptionColors {
  text: string;
  stroke: string;
  box: string;
}

/** Default colours per style, with the user's text and box colours applied (validated). */
export function captionColors(style: CaptionStyle, textColor?: string, boxColor?: string): CaptionColors {
  const text = textColor === undefined ? (style === 'box' ? '#000000' : '#ffffff') : cssColor(textColor, 'textColor');
  const box = boxColor === undefined ? '#ffffff' : cssColor(boxColor, 'boxColor');
  return { text, stroke: '#000000', box };
}

const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const NAMED: Record<string, string> = {
  white: '#ffffff',
  black: '#000000',
  red: '#fe2c55',
  pink: '#ff9ec7',
  orange: '#ff8a00',
  yellow: '#ffe600',
  green: '#25d366',
  teal: '#20d5ec',
  cyan: '#25f4ee',
  blue: '#1877f2',
  purple: '#8b5cf6',
  grey: '#8a8b91',
  gray: '#8a8b91',
};

/** A hex colour (`#fff`, `ff0044`, `#ff004480`) or one of TikTok's palette names, else an error naming the setting. */
export function cssColor(value: string, field: string): string {
  const v = value.trim().toLowerCase();
  const named = NAMED[v];
  if (named) return named;
  if (HEX.test(v)) return v;
  if (HEX.test(`#${v}`)) return `#${v}`;
  throw new InvalidSetting(field, value, 'not a colour', {
    hint: `use a hex colour like #ffcc00 or one of ${Object.keys(NAMED).join(', ')}`,
  });
}
