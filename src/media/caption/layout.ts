import { safeZone, type Box, type Canvas } from '../canvas.js';
import type { FittedText } from './fitText.js';
import { LOOK, type CaptionPosition, type CaptionStyle } from './look.js';
import { lineWidth, type Measured } from './wrap.js';

export interface PlacedWord<T> {
  word: T;
  /** Left edge of the word, px. */
  x: number;
}

export interface PlacedLine<T> {
  words: PlacedWord<T>[];
  baseline: number;
  /** The line's measured extent (ink, no padding), px. */
  box: Box;
}

export interface PlacedCaption<T> {
  size: number;
  lines: PlacedLine<T>[];
}

/** The box the text block may fill: the safe zone less room for the stroke, box or shadow. */
export function textArea(canvas: Canvas, size: number): Box {
  const safe = safeZone(canvas);
  const pad = Math.ceil(LOOK.paddingOfSize * size);
  return { left: safe.left + pad, top: safe.top + pad, width: safe.width - 2 * pad, height: safe.height - 2 * pad };
}

export function lineAdvance(style: CaptionStyle, size: number): number {
  return size * (style === 'box' ? LOOK.boxLineHeight : LOOK.lineHeight);
}

/**
 * Where each line and word goes: the block at the top, centre or bottom of the text area, each
 * line centred on the canvas (nudged in where TikTok's right-hand buttons would cover it),
 * baselines set so capitals sit in the middle of their line.
 */
export function placeCaption<T extends Measured>(
  fitted: FittedText<T>,
  o: { canvas: Canvas; style: CaptionStyle; position: CaptionPosition; spaceWidth: number; capHeight: number },
): PlacedCaption<T> {
  const { size, lines } = fitted;
  const area = textArea(o.canvas, size);
  const advance = lineAdvance(o.style, size);
  const blockHeight = advance * lines.length;
  const blockTop =
    o.position === 'top'
      ? area.top
      : o.position === 'bottom'
        ? area.top + area.height - blockHeight
        : area.top + (area.height - blockHeight) / 2;
  const space = o.spaceWidth * size;
  return {
    size,
    lines: lines.map((line, i) => {
      const width = (lineWidth(line.words, o.spaceWidth) + (line.ellipsis?.width ?? 0)) * size;
      const left = clamp(o.canvas.width / 2 - width / 2, area.left, area.left + area.width - width);
      const top = blockTop + i * advance;
      const ordered = line.rtl ? [...line.words].reverse() : line.words;
      let x = left + (line.rtl ? (line.ellipsis?.width ?? 0) * size : 0);
      const words = ordered.map((word) => {
        const placed = { word, x };
        x += word.width * size + space;
        return placed;
      });
      if (line.ellipsis) words.push({ word: line.ellipsis, x: line.rtl ? left : x - space });
      return { words, baseline: top + advance / 2 + (o.capHeight * size) / 2, box: { left, top, width, height: advance } };
    }),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
