/**
 * A long video as consecutive parts, each drawn by its own ffmpeg from a few items and joined
 * without re-encoding. ffmpeg decodes a frame of every input of a graph before it starts, so one
 * graph's memory grows with its items (~19 MB a still at 1080x1920, more for a clip's decoder,
 * bench/videomem.bench.js); a part's stays that of a few. Pure: which items each part draws and
 * which of their frames it keeps.
 */
import type { Canvas } from '../canvas.js';
import { timelineDuration, type Timeline } from '../timeline.js';
import { framesOf } from './items.js';

export interface VideoPart {
  /** The items the part draws, the first starting at 0, without audio. */
  timeline: Timeline;
  /** The frames of that timeline's picture the part keeps: `from` up to, not including, `to`. */
  from: number;
  to: number;
}

/**
 * Each part owns items whose costs add up to at most `budget` (at least one item): it starts where
 * the transition into its first item ends and ends where the transition out of its last one does,
 * drawing the next item for that transition's sake. Each item keeps its own frame numbers, so a
 * Ken Burns move runs on across a join. An item's cost is what it holds in ffmpeg's memory: a
 * still's is 1, a clip's its clipCost.
 */
export function splitTimeline(timeline: Timeline, budget: number): VideoPart[] {
  const { items, transitions, fps } = timeline;
  const costOf = (i: number) => {
    const item = items[i];
    return item?.kind === 'video' ? clipCost(item, timeline.canvas) : 1;
  };
  const startOf = (i: number) => framesOf((items[i] as Timeline['items'][number]).start, fps);
  const blend = (i: number) => framesOf(transitions[i]?.duration ?? 0, fps);
  const total = framesOf(timelineDuration(timeline), fps);
  const parts: VideoPart[] = [];
  for (let first = 0; first < items.length; ) {
    const last = lastOwned(first, items.length, budget, costOf);
    const more = last + 1 < items.length;
    const drawn = more && blend(last) > 0 ? last + 1 : last;
    const offset = startOf(first);
    const from = first === 0 ? 0 : offset + blend(first - 1);
    const to = more ? startOf(last + 1) + blend(last) : total;
    const origin = (items[first] as Timeline['items'][number]).start;
    parts.push({
      timeline: {
        canvas: timeline.canvas,
        fps,
        items: items.slice(first, drawn + 1).map((item) => ({ ...item, start: item.start - origin })),
        transitions: transitions.slice(first, drawn),
      },
      from: from - offset,
      to: to - offset,
    });
    first = last + 1;
  }
  return parts;
}

/** The last item a part starting at `first` owns: as many as the budget holds, at least one. */
function lastOwned(first: number, count: number, budget: number, costOf: (index: number) => number): number {
  let last = first;
  let spent = costOf(first);
  while (last + 1 < count && spent + costOf(last + 1) <= budget) spent += costOf(++last);
  return last;
}

/**
 * What a clip holds in a part's ffmpeg, a still being 1: its decoder keeps a few frames of the
 * clip's own size (measured with one decoding thread: ~25 MB for a clip the canvas's size, ~80 MB
 * for 4K, against ~19 MB for a still). A clip whose size is unknown counts as the canvas's.
 */
export function clipCost(frame: { width?: number; height?: number }, canvas: Canvas): number {
  const pixels = (frame.width ?? canvas.width) * (frame.height ?? canvas.height);
  return CLIP_COST * Math.max(1, pixels / (canvas.width * canvas.height));
}

const CLIP_COST = 1.5;
