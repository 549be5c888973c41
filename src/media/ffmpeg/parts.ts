/**
 * A long video as consecutive parts, each drawn by its own ffmpeg from a few items and joined
 * without re-encoding. ffmpeg decodes a frame of every input of a graph before it starts, so one
 * graph's memory grows with its items (~19 MB each at 1080x1920, bench/render.bench.js); a
 * part's stays that of a few. Pure: which items each part draws and which of their frames it keeps.
 */
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
 * Part k owns `itemsPerPart` items: it starts where the transition into its first item ends and
 * ends where the transition out of its last one does, drawing the next item for that transition's
 * sake. Each item keeps its own frame numbers, so a Ken Burns move runs on across a join.
 */
export function splitTimeline(timeline: Timeline, itemsPerPart: number): VideoPart[] {
  const { items, transitions, fps } = timeline;
  const startOf = (i: number) => framesOf((items[i] as Timeline['items'][number]).start, fps);
  const blend = (i: number) => framesOf(transitions[i]?.duration ?? 0, fps);
  const total = framesOf(timelineDuration(timeline), fps);
  const parts: VideoPart[] = [];
  for (let first = 0; first < items.length; first += itemsPerPart) {
    const last = Math.min(first + itemsPerPart, items.length) - 1;
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
  }
  return parts;
}
