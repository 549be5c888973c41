import type { Box, Canvas } from './canvas.js';

export type FitMode = 'cover' | 'contain';
export const FIT_MODES: readonly FitMode[] = ['cover', 'contain'];

export interface Size {
  width: number;
  height: number;
}

/** `contain`: the image scaled to fit inside the canvas, centred; the rest is backdrop. */
export function containPlacement(image: Size, canvas: Canvas): Box {
  const scale = Math.min(canvas.width / image.width, canvas.height / image.height);
  const width = Math.min(canvas.width, Math.max(1, Math.round(image.width * scale)));
  const height = Math.min(canvas.height, Math.max(1, Math.round(image.height * scale)));
  return { left: Math.floor((canvas.width - width) / 2), top: Math.floor((canvas.height - height) / 2), width, height };
}

/**
 * The backdrop of `contain` is blurred at a twelfth of the canvas size and scaled back up: the
 * same look as a full-size blur at a fraction of the cost.
 */
export const BACKDROP_SCALE = 12;
export const BACKDROP_BLUR_SIGMA = 6;
export const BACKDROP_BRIGHTNESS = 0.55;

export function backdropSize(canvas: Canvas): Size {
  return { width: Math.ceil(canvas.width / BACKDROP_SCALE), height: Math.ceil(canvas.height / BACKDROP_SCALE) };
}
