import type { Box, Canvas } from '../canvas.js';
import { boxPath } from './boxPath.js';
import { withIdPrefix } from './emoji.js';
import type { PlacedCaption } from './layout.js';
import { LOOK, type CaptionColors, type CaptionStyle } from './look.js';
import { EMOJI_SIZE, type GlyphItem, type ShapedRun } from './shape.js';

export interface CaptionSvgOptions {
  canvas: Canvas;
  style: CaptionStyle;
  colors: CaptionColors;
  /** Cap height of the primary face, em: emoji are centred on it. */
  capHeight: number;
  /** Inner markup of each emoji file used, from `loadEmojiMarkup`. */
  emoji: ReadonlyMap<string, string>;
}

/** The caption as one full-canvas SVG: glyph outlines as paths, emoji inline, decoration per style. */
export function captionSvg(caption: PlacedCaption<ShapedRun>, o: CaptionSvgOptions): string {
  const { size } = caption;
  let text = '';
  let emoji = '';
  let emojiCount = 0;
  const padX = LOOK.paddingOfSize * size;
  const boxes: Box[] = [];
  for (const line of caption.lines) {
    const b = line.box;
    // A blank line has no box: the lines above and below it get a box each, with the gap between.
    if (line.runs.length > 0) boxes.push({ left: b.left - padX, top: b.top, width: b.width + 2 * padX, height: b.height });
    for (const { run, x } of line.runs) {
      for (const item of run.items) {
        if (item.kind === 'glyph') {
          text += glyphPath(item, x + item.x * size, line.baseline - item.y * size, size);
        } else {
          const left = x + item.x * size;
          const top = line.baseline - (o.capHeight * size) / 2 - (EMOJI_SIZE * size) / 2;
          const markup = withIdPrefix(o.emoji.get(item.file) ?? '', `e${emojiCount++}-`);
          emoji += `<g transform="translate(${n(left)} ${n(top)}) scale(${n4((EMOJI_SIZE * size) / 36)})">${markup}</g>`;
        }
      }
    }
  }
  const { width, height } = o.canvas;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${decorated(text, boxes, emoji, size, o)}</svg>`;
}

function decorated(text: string, boxes: readonly Box[], emoji: string, size: number, o: CaptionSvgOptions): string {
  const fill = `fill="${o.colors.text}"`;
  if (text === '' && emoji === '') return '';
  switch (o.style) {
    case 'outline':
      return `<path d="${text}" ${fill} stroke="${o.colors.stroke}" stroke-width="${n(LOOK.strokeOfSize * size)}" stroke-linejoin="round" paint-order="stroke"/>${emoji}`;
    case 'box':
      return `<path d="${boxPath(boxes, LOOK.boxRadiusOfSize * size)}" fill="${o.colors.box}"/><path d="${text}" ${fill}/>${emoji}`;
    case 'translucent':
      return (
        `<path d="${boxPath(boxes, LOOK.boxRadiusOfSize * size)}" fill="${o.colors.box}" fill-opacity="${LOOK.translucentBoxOpacity}"/>` +
        `<path d="${text}" ${fill}/>${emoji}`
      );
    case 'shadow': {
      const blur = n(LOOK.shadowBlurOfSize * size);
      const offset = n(LOOK.shadowOffsetOfSize * size);
      return (
        `<filter id="caption-shadow" x="-10%" y="-10%" width="120%" height="120%"><feGaussianBlur stdDeviation="${blur}"/></filter>` +
        `<path d="${text}" fill="#000" fill-opacity="0.75" stroke="#000" stroke-opacity="0.75" stroke-width="${n(LOOK.strokeOfSize * size)}" transform="translate(0 ${offset})" filter="url(#caption-shadow)"/>` +
        `<path d="${text}" ${fill}/>${emoji}`
      );
    }
  }
}

/** A glyph's outline in canvas pixels (font units are y-up, SVG is y-down). */
function glyphPath(item: GlyphItem, originX: number, baseline: number, size: number): string {
  const k = size / item.unitsPerEm;
  const px = (x: number) => n(originX + x * k);
  const py = (y: number) => n(baseline - y * k);
  let d = '';
  for (const { command, args } of item.glyph.path.commands) {
    const pts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) pts.push(`${px(args[i] ?? 0)} ${py(args[i + 1] ?? 0)}`);
    d += PATH_LETTER[command] + pts.join(' ');
  }
  return d;
}

const PATH_LETTER: Record<string, string> = {
  moveTo: 'M',
  lineTo: 'L',
  quadraticCurveTo: 'Q',
  bezierCurveTo: 'C',
  closePath: 'Z',
};

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function n4(v: number): string {
  return String(Math.round(v * 10000) / 10000);
}
