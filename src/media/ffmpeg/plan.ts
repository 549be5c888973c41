/** Timeline → everything ffmpeg needs (inputs, filter graph, output pads), as pure data. */
import { XFADE_TRANSITIONS, type Timeline, type TransitionName, type XfadeTransition } from '../timeline.js';
import { audioChains } from './audio.js';
import { chain, filter, type Chain } from './graph.js';
import { clipInputOptions, framesOf, itemStream, type AddInput } from './items.js';
import type { VideoPart } from './parts.js';
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

export type PicturePlan = Omit<RenderPlan, 'audioLabel'>;
export type SoundtrackPlan = Omit<RenderPlan, 'videoLabel' | 'warnings'>;

export function planRender(timeline: Timeline, capabilities: Capabilities): RenderPlan {
  const { inputs, addInput } = inputList();
  const picture = pictureChains(timeline, capabilities, addInput);
  const audio = audioChains(timeline, picture.clipAudio, addInput);
  return {
    inputs,
    graph: [...picture.chains, ...audio.chains],
    videoLabel: picture.label,
    audioLabel: audio.label,
    warnings: picture.warnings,
  };
}

/** One part of a long video (parts.ts): its items' picture, cut to the part's frames, no sound. */
export function planPart(part: VideoPart, capabilities: Capabilities): PicturePlan {
  const { inputs, addInput } = inputList();
  const picture = pictureChains(part.timeline, capabilities, addInput);
  const cut = chain(
    [picture.label],
    [filter('trim', { start_frame: part.from, end_frame: part.to }), filter('setpts', { expr: 'PTS-STARTPTS' })],
    ['part'],
  );
  return { inputs, graph: [...picture.chains, cut], videoLabel: 'part', warnings: picture.warnings };
}

/** The soundtrack of the whole timeline alone, its inputs after `before` others (the joined parts). */
export function planSoundtrack(timeline: Timeline, before: number): SoundtrackPlan {
  const { inputs, addInput } = inputList(before);
  const clipAudio = new Map<number, number>();
  timeline.items.forEach((item, i) => {
    if (item.kind === 'video' && item.audio) clipAudio.set(i, addInput(item.path, clipInputOptions(item)));
  });
  const audio = audioChains(timeline, clipAudio, addInput);
  return { inputs, graph: audio.chains, audioLabel: audio.label };
}

type Capabilities = { hasXfade: boolean; hasFifo: boolean };

function inputList(before = 0): { inputs: InputSpec[]; addInput: AddInput } {
  const inputs: InputSpec[] = [];
  return { inputs, addInput: (path, options = []) => before + inputs.push({ path, options }) - 1 };
}

function pictureChains(
  timeline: Timeline,
  capabilities: Capabilities,
  addInput: AddInput,
): { chains: Chain[]; label: string; clipAudio: Map<number, number>; warnings: string[] } {
  const frame = { canvas: timeline.canvas, fps: timeline.fps, pullGate: capabilities.hasFifo };
  const chains: Chain[] = [];
  const clipAudio = new Map<number, number>();
  const streams = timeline.items.map((item, i) => {
    const stream = itemStream(item, i, frame, addInput);
    chains.push(...stream.chains);
    if (item.kind === 'video' && item.audio) clipAudio.set(i, stream.input);
    return stream;
  });
  const joins: Join[] = timeline.transitions.map((t) => ({
    how: joinKind(t.kind, capabilities.hasXfade),
    frames: framesOf(t.duration, timeline.fps),
  }));
  const video = joinItems(streams, joins, timeline.fps);
  chains.push(...video.chains);
  return {
    chains,
    label: video.label,
    clipAudio,
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
