/** Ken Burns as zoompan expressions: pure math from a `KenBurns` move to filters. */
import type { Canvas } from '../canvas.js';
import type { KenBurns } from '../timeline.js';
import { filter, formatNumber, type Filter } from './graph.js';

/**
 * zoompan crops at whole pixels of its input, so a move across a canvas-sized picture steps by
 * whole output pixels and judders. Working on a picture this many times larger makes each step a
 * fraction of an output pixel.
 */
export const KEN_BURNS_UPSCALE = 4;

/** The filters turning one still frame (already canvas-sized) into `frames` moving frames. */
export function kenBurnsFilters(move: KenBurns, frames: number, canvas: Canvas, fps: number): Filter[] {
  const progress = `on/${Math.max(1, frames - 1)}`;
  return [
    filter('scale', {
      w: canvas.width * KEN_BURNS_UPSCALE,
      h: canvas.height * KEN_BURNS_UPSCALE,
      flags: 'bicubic',
    }),
    filter('zoompan', {
      z: lerp(move.zoom, progress),
      x: `(iw-iw/zoom)*(${lerp(move.focusX, progress)})`,
      y: `(ih-ih/zoom)*(${lerp(move.focusY, progress)})`,
      d: frames,
      s: `${canvas.width}x${canvas.height}`,
      fps,
    }),
  ];
}

function lerp([from, to]: readonly [number, number], progress: string): string {
  if (from === to) return formatNumber(from);
  const sign = to > from ? '+' : '-';
  return `${formatNumber(from)}${sign}${formatNumber(Math.abs(to - from))}*${progress}`;
}
