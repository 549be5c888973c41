import { safeZone, type Canvas } from '../canvas.js';
import { loadEmojiMarkup } from './emoji.js';
import { usesCjk } from './cjkFonts.js';
import { fitText } from './fitText.js';
import { loadFontStack } from './fonts.js';
import { lineHeight, placeCaption, textArea } from './layout.js';
import { captionColors, captionSizePx, LOOK, type CaptionAlign, type CaptionPosition, type CaptionSize, type CaptionStyle } from './look.js';
import { shapeCaption } from './shape.js';
import { captionSvg } from './svg.js';
import type { CaptionWarning } from './warnings.js';

export interface CaptionOptions {
  canvas: Canvas;
  style: CaptionStyle;
  position: CaptionPosition;
  /** Default: centred. */
  align?: CaptionAlign;
  /** The preferred size, shrunk as far as needed to fit the safe zone. Default `m`. */
  captionSize?: CaptionSize;
  textColor?: string;
  boxColor?: string;
  /** A font file drawn first, the bundled TikTok Sans behind it for what it lacks. */
  fontFile?: string;
}

export interface CaptionDrawing {
  /** A full-canvas SVG, transparent but for the caption; empty when there is nothing to draw. */
  svg: string;
  warnings: CaptionWarning[];
  /** Font size chosen, px, and the number of lines. */
  size: number;
  lines: number;
}

/** Shapes, wraps, sizes and places a caption inside the canvas's safe zone, and draws it as SVG. */
export async function drawCaption(text: string, o: CaptionOptions): Promise<CaptionDrawing> {
  const colors = captionColors(o.style, o.textColor, o.boxColor);
  const stack = await loadFontStack(o.fontFile, text);
  const primary = stack[0];
  if (!primary) throw new Error('empty font stack');
  const shaped = shapeCaption(text, stack);
  const warnings: CaptionWarning[] = [];
  if (shaped.missing.length > 0) warnings.push({ kind: 'missingGlyphs', chars: shaped.missing });
  const size = captionSizePx(o.captionSize ?? 'm', o.canvas);
  const leading = lineHeight(o.style, shaped.depth, -primary.descent / primary.unitsPerEm, usesCjk(text));
  const area = textArea(o.canvas, size);
  const fitted = fitText(shaped.paragraphs, shaped.ellipsis, {
    maxWidth: Math.min(LOOK.maxWidthOfSafeWidth * safeZone(o.canvas).width, area.width),
    maxHeight: area.height,
    size,
    minSize: Math.min(size, o.canvas.width * LOOK.minSizeOfCanvasWidth),
    lineHeight: leading,
    maxLines: LOOK.maxLines,
    spaceWidth: shaped.spaceWidth,
  });
  if (fitted.truncated) warnings.push({ kind: 'captionCut', maxLines: LOOK.maxLines, lastWords: lastWords(fitted.lines) });
  const capHeight = primary.capHeight / primary.unitsPerEm;
  const placed = placeCaption(fitted, { ...o, lineHeight: leading, spaceWidth: shaped.spaceWidth, capHeight });
  const files = placed.lines.flatMap((l) => l.runs.flatMap((r) => r.run.items.flatMap((i) => (i.kind === 'emoji' ? [i.file] : []))));
  const emoji = await loadEmojiMarkup(files);
  const svg = fitted.lines.length === 0 ? '' : captionSvg(placed, { canvas: o.canvas, style: o.style, colors, capHeight, emoji });
  return { svg, warnings, size: fitted.size, lines: fitted.lines.length };
}

function lastWords(lines: { words: { text: string; joined?: boolean }[] }[]): string {
  return (lines.at(-1)?.words ?? [])
    .slice(-4)
    .map((w, i) => (i > 0 && !w.joined ? ` ${w.text}` : w.text))
    .join('');
}
