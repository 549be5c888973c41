import { InvalidSetting } from '../../errors.js';
import type { Canvas } from '../canvas.js';

/** `box` is TikTok's solid background, `translucent` its see-through one. */
export type CaptionStyle = 'outline' | 'box' | 'shadow' | 'translucent';
export const CAPTION_STYLES: readonly CaptionStyle[] = ['outline', 'box', 'shadow', 'translucent'];

export type CaptionPosition = 'top' | 'center' | 'bottom';
export const CAPTION_POSITIONS: readonly CaptionPosition[] = ['top', 'center', 'bottom'];

/** Where each line sits across the safe zone. */
export type CaptionAlign = 'left' | 'center' | 'right';
export const CAPTION_ALIGNS: readonly CaptionAlign[] = ['left', 'center', 'right'];

/** A named size (`m` is TikTok's caption size) or a font size in pixels on a 1080-wide canvas. */
export type CaptionSize = 's' | 'm' | 'l' | number;
export const CAPTION_SIZE_NAMES = ['s', 'm', 'l'] as const;

/** Styles drawn on a background shape. */
export function hasBox(style: CaptionStyle): boolean {
  return style === 'box' || style === 'translucent';
}

/**
 * TikTok's caption look as measured on its app (sizes as fractions of the canvas width or of
 * the font size): SemiBold at ≈5.1% of the width, lines at ≈1.06–1.2, a black stroke of 3–4 px
 * at 55 px (half of the stroke hides under the fill), at most 88% of the safe width per line.
 */
export const LOOK = {
  sizeOfCanvasWidth: 0.051,
  smallSizeOfCanvasWidth: 0.04,
  largeSizeOfCanvasWidth: 0.065,
  minSizeOfCanvasWidth: 0.025,
  /** Font sizes a creator may ask for, px on a 1080-wide canvas. */
  pixelSizeRange: [20, 200],
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
  translucentBoxOpacity: 0.6,
} as const;

const REFERENCE_WIDTH = 1080;

/** A caption size as typed (`s`, `m`, `l`, `64`, `64px`), else an InvalidSetting naming what is allowed. */
export function parseCaptionSize(raw: string): CaptionSize {
  const v = raw.trim().toLowerCase();
  const named = CAPTION_SIZE_NAMES.find((name) => name === v);
  if (named) return named;
  const px = /^\d+(?:\.\d+)?(?:px)?$/.test(v) ? Number.parseFloat(v) : Number.NaN;
  return checkedPixels(px, raw);
}

/** The preferred font size in pixels on this canvas: named sizes scale with its width, as do pixel sizes given at 1080. */
export function captionSizePx(size: CaptionSize, canvas: Canvas): number {
  if (typeof size === 'number') return (checkedPixels(size, size) * canvas.width) / REFERENCE_WIDTH;
  const ofWidth = { s: LOOK.smallSizeOfCanvasWidth, m: LOOK.sizeOfCanvasWidth, l: LOOK.largeSizeOfCanvasWidth }[size];
  return canvas.width * ofWidth;
}

function checkedPixels(px: number, given: unknown): number {
  const [min, max] = LOOK.pixelSizeRange;
  if (Number.isFinite(px) && px >= min && px <= max) return px;
  throw new InvalidSetting('captionSize', given, Number.isFinite(px) ? `outside ${min}–${max} px` : 'not a caption size', {
    hint: `use s, m, l or a pixel size at 1080 wide from ${min} to ${max}`,
  });
}

export interface CaptionColors {
  text: string;
  stroke: string;
  box: string;
}

/** Default colours per style, with the user's text and box colours applied (validated). */
export function captionColors(style: CaptionStyle, textColor?: string, boxColor?: string): CaptionColors {
  const text = textColor === undefined ? (style === 'box' ? '#000000' : '#ffffff') : cssColor(textColor, 'textColor');
  const box = boxColor === undefined ? (style === 'translucent' ? '#000000' : '#ffffff') : cssColor(boxColor, 'boxColor');
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
