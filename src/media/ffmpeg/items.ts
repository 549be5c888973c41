/**
 * One timeline item → a labelled stream of exactly its frames: canvas-sized, yuv420p, square
 * pixels, constant frame rate, timestamps 0..n-1 in 1/fps. Everything downstream counts frames.
 */
import type { Canvas } from '../canvas.js';
import type { ImageItem, TimelineItem, VideoItem } from '../timeline.js';
import { chain, filter, type Chain, type Filter } from './graph.js';
import { kenBurnsFilters } from './kenburns.js';

export type AddInput = (path: string, options?: readonly string[]) => number;

export interface ItemStream {
  chains: Chain[];
  label: string;
  frames: number;
  /** The item's own file (a clip's sound comes from it too). */
  input: number;
}

export interface Frame {
  canvas: Canvas;
  fps: number;
  /**
   * `loop` pushes all its frames at once, so every transition would be computed up front and
   * wait, decoded, for its turn (~50 MB per transition at 1080x1920). A fifo after each item
   * hands frames out only when asked for. ffmpeg 7 dropped the filter.
   */
  pullGate: boolean;
}

export function framesOf(seconds: number, fps: number): number {
  return Math.round(seconds * fps);
}

export function itemStream(item: TimelineItem, index: number, frame: Frame, addInput: AddInput): ItemStream {
  const frames = framesOf(item.duration, frame.fps);
  const label = `v${index}`;
  if (item.kind === 'image') {
    // A still is decoded once; `loop` repeats that frame in memory instead of re-reading the file.
    const input = addInput(item.path, ['-framerate', String(frame.fps)]);
    return { chains: imageChains(item, input, frames, label, frame, addInput), label, frames, input };
  }
  const input = addInput(item.path, clipInputOptions(item));
  return { chains: clipChains(item, input, frames, label, frame, addInput), label, frames, input };
}

/**
 * A clip is read only as far as the timeline plays it, by one decoding thread: each thread of a
 * frame-threaded decoder holds frames of the clip's own size (a part of 4K clips: ~545 MB with
 * ffmpeg's default threads, ~440 MB with one, ~12 % slower; clips the canvas's size decode faster).
 */
export function clipInputOptions(item: VideoItem): string[] {
  return ['-threads', '1', '-t', String(item.duration)];
}

function imageChains(
  item: ImageItem,
  input: number,
  frames: number,
  label: string,
  frame: Frame,
  addInput: AddInput,
): Chain[] {
  const motion = item.kenBurns === undefined
    ? [filter('loop', { loop: frames - 1, size: 1 })]
    : kenBurnsFilters(item.kenBurns, frames, frame.canvas, frame.fps);
  const picture = [...cover(frame.canvas), filter('format', { pix_fmts: 'yuv420p' }), ...motion, ...restamp(frame.fps)];
  if (item.captionPng === undefined) return [chain([`${input}:v`], [...picture, ...gate(frame)], [label])];
  return [
    chain([`${input}:v`], picture, [`${label}pic`]),
    ...captionOver(`${label}pic`, item.captionPng, gate(frame), label, frame, addInput),
  ];
}

function clipChains(
  item: VideoItem,
  input: number,
  frames: number,
  label: string,
  frame: Frame,
  addInput: AddInput,
): Chain[] {
  const normalized = [
    filter('fps', { fps: frame.fps }),
    ...restamp(frame.fps),
    ...cover(frame.canvas),
    filter('format', { pix_fmts: 'yuv420p' }),
  ];
  // A clip a frame short of what its container claims holds its last frame instead of shortening the video.
  const exact = [filter('tpad', { stop: -1, stop_mode: 'clone' }), filter('trim', { end_frame: frames })];
  if (item.captionPng === undefined) return [chain([`${input}:v`], [...normalized, ...exact], [label])];
  return [
    chain([`${input}:v`], normalized, [`${label}clip`]),
    ...captionOver(`${label}clip`, item.captionPng, exact, label, frame, addInput),
  ];
}

/**
 * `captionPng`, canvas-sized, drawn over the finished moving picture `under`, then `after`: the
 * caption stays put whatever moves beneath it. The PNG is one frame; overlay repeats it.
 */
function captionOver(
  under: string,
  captionPng: string,
  after: readonly Filter[],
  label: string,
  frame: Frame,
  addInput: AddInput,
): Chain[] {
  const caption = addInput(captionPng);
  return [
    chain([`${caption}:v`], [filter('scale', { w: frame.canvas.width, h: frame.canvas.height })], [`${label}cap`]),
    chain([under, `${label}cap`], [filter('overlay', { x: 0, y: 0 }), ...after], [label]),
  ];
}

function gate(frame: Frame): Filter[] {
  return frame.pullGate ? [filter('fifo')] : [];
}

function cover(canvas: Canvas): Filter[] {
  return [
    filter('scale', { w: canvas.width, h: canvas.height, force_original_aspect_ratio: 'increase' }),
    filter('crop', { w: canvas.width, h: canvas.height }),
    filter('setsar', { sar: 1 }),
  ];
}

function restamp(fps: number): Filter[] {
  return [filter('settb', { expr: `1/${fps}` }), filter('setpts', { expr: 'N' })];
}
