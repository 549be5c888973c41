/** Timeline → everything ffmpeg needs (inputs, filter graph, output pads), as pure data. */
import { XFADE_TRANSITIONS, type Timeline, type TransitionName, type XfadeTransition } from '../timeline.js';
import { audioChains } from './audio.js';
import type { Chain } from './graph.js';
import { framesOf, itemStream, type AddInput } from './items.js';
import { joinItems, type Join, type JoinKind } from './transitions.js';

export interface InputSpec {
  path: string;
  /** Input options, placed before its `-i`. */
  options: readonly string[];
}

export interface RenderPlan {
  inputs: InputSpec[];
  graph: Chain[];
  videoLabel: string;
  audioLabel: string;
  warnings: string[];
}

export function planRender(timeline: Timeline, capabilities: { hasXfade: boolean; hasFifo: boolean }): RenderPlan {
  const inputs: InputSpec[] = [];
  const addInput: AddInput = (path, options = []) => inputs.push({ path, options }) - 1;
  const frame = { canvas: timeline.canvas, fps: timeline.fps, pullGate: capabilities.hasFifo };

  const graph: Chain[] = [];
  const clipAudio = new Map<number, number>();
  const streams = timeline.items.map((item, i) => {
    const stream = itemStream(item, i, frame, addInput);
    graph.push(...stream.chains);
    if (item.kind === 'video' && item.audio) clipAudio.set(i, stream.input);
    return stream;
  });

  const joins: Join[] = timeline.transitions.map((t) => ({
    how: joinKind(t.kind, capabilities.hasXfade),
    frames: framesOf(t.duration, timeline.fps),
  }));
  const video = joinItems(streams, joins, timeline.fps);
  const audio = audioChains(timeline, clipAudio, addInput);
  graph.push(...video.chains, ...audio.chains);

  return {
    inputs,
    graph,
    videoLabel: video.label,
    audioLabel: audio.label,
    warnings: fallbackWarnings(timeline.transitions.map((t) => t.kind), capabilities.hasXfade),
  };
}

function joinKind(kind: TransitionName, hasXfade: boolean): JoinKind {
  if (kind === 'none') return { kind: 'cut' };
  if (isXfade(kind) && hasXfade) return { kind: 'xfade', transition: kind };
  return { kind: 'crossfade' };
}

function fallbackWarnings(kinds: readonly TransitionName[], hasXfade: boolean): string[] {
  const named = kinds.find(isXfade);
  if (named === undefined || hasXfade) return [];
  return [`transition "${named}" needs ffmpeg's xfade filter (ffmpeg 4.3+), which this ffmpeg lacks: using a crossfade`];
}

function isXfade(kind: TransitionName): kind is XfadeTransition {
  return (XFADE_TRANSITIONS as readonly string[]).includes(kind);
}
