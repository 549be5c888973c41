/**
 * A whole video as data (editly-style): which item plays when, for how long, with which
 * transition, motion, overlay and audio. Pure; `src/media/ffmpeg/` renders it.
 */
import { InvalidSetting, UsageError } from '../errors.js';
import type { Canvas } from './canvas.js';

export const FPS = 30;

/** xfade's transitions present since its first release (ffmpeg 4.3); `fade` is ours (works without xfade). */
export const XFADE_TRANSITIONS = [
  'wipeleft', 'wiperight', 'wipeup', 'wipedown',
  'slideleft', 'slideright', 'slideup', 'slidedown',
  'circlecrop', 'rectcrop', 'distance', 'fadeblack', 'fadewhite', 'radial',
  'smoothleft', 'smoothright', 'smoothup', 'smoothdown',
  'circleopen', 'circleclose', 'vertopen', 'vertclose', 'horzopen', 'horzclose',
  'dissolve', 'pixelize', 'diagtl', 'diagtr', 'diagbl', 'diagbr',
  'hlslice', 'hrslice', 'vuslice', 'vdslice',
] as const;
export type XfadeTransition = (typeof XFADE_TRANSITIONS)[number];
export type TransitionName = 'fade' | 'none' | XfadeTransition;
export const TRANSITION_NAMES: readonly TransitionName[] = ['fade', 'none', ...XFADE_TRANSITIONS];

export type MotionName = 'none' | 'kenburns';
export type ClipAudio = 'keep' | 'mute';

/**
 * `duration` (seconds, its transitions included) overrides `slideDuration` for an image and the
 * clip's own length for a clip; a clip shorter than it holds its last frame.
 */
export type TimelineInput =
  /**
   * A picture covering the whole canvas: a finished slide, or, with `captionPng`, the photo
   * without its caption, which is then drawn over the motion so it stays still.
   */
  | { kind: 'image'; path: string; captionPng?: string; duration?: number }
  /** `durationSeconds`, `hasAudio` and the size as `probeMedia` reports them. */
  | { kind: 'video'; path: string; durationSeconds: number; captionPng?: string; hasAudio?: boolean; duration?: number; width?: number; height?: number };

export interface TimelineOptions {
  canvas: Canvas;
  /** Seconds each image holds (default 3). */
  slideDuration?: number;
  /** Between every two items (default `fade`). */
  transition?: TransitionName;
  /** Seconds (default 0.5); shortened where a neighbour is too short to hold it. */
  transitionDuration?: number;
  motion?: MotionName;
  /** Clips are cut to this many seconds (default 10). */
  maxClipDuration?: number;
  clipAudio?: ClipAudio;
  /** Background audio, looped or trimmed to the video, faded out over its last second. */
  audio?: string;
  /** Seconds into `audio` where the video's sound starts (default 0). */
  audioStart?: number;
}

/** Zoom factor and focus point (0..1 of the room the zoom leaves) at the first and the last frame. */
export interface KenBurns {
  zoom: readonly [number, number];
  focusX: readonly [number, number];
  focusY: readonly [number, number];
}

export interface ImageItem {
  kind: 'image';
  path: string;
  start: number;
  duration: number;
  kenBurns?: KenBurns;
  /** A full-canvas transparent PNG drawn over the picture after its motion. */
  captionPng?: string;
}

export interface VideoItem {
  kind: 'video';
  path: string;
  start: number;
  duration: number;
  /** A full-canvas transparent PNG drawn over the clip. */
  captionPng?: string;
  /** Whether the clip's own sound goes into the mix. */
  audio: boolean;
  /** Its size as it plays, when known: what its decoder holds in a part (parts.ts, clipCost). */
  width?: number;
  height?: number;
}

export type TimelineItem = ImageItem | VideoItem;

/** Between `items[i]` and `items[i + 1]`: the next item starts `duration` before this one ends. */
export interface Transition {
  kind: TransitionName;
  duration: number;
}

export interface Timeline {
  canvas: Canvas;
  fps: number;
  items: TimelineItem[];
  transitions: Transition[];
  audio?: { path: string; fadeOutSeconds: number; startSeconds: number };
}

const DEFAULTS = {
  slideDuration: 3,
  transition: 'fade',
  transitionDuration: 0.5,
  motion: 'none',
  maxClipDuration: 10,
  clipAudio: 'keep',
} as const;

/** Varied so consecutive slides never move the same way. */
const KEN_BURNS_MOVES: readonly KenBurns[] = [
  { zoom: [1, 1.15], focusX: [0.5, 0.5], focusY: [0.5, 0.5] },
  { zoom: [1.15, 1.15], focusX: [0, 1], focusY: [0.5, 0.5] },
  { zoom: [1.15, 1], focusX: [0.5, 0.5], focusY: [0.5, 0.5] },
  { zoom: [1.15, 1.15], focusX: [0.5, 0.5], focusY: [0, 1] },
  { zoom: [1, 1.15], focusX: [0.5, 0.2], focusY: [0.5, 0.2] },
  { zoom: [1.15, 1.15], focusX: [1, 0], focusY: [0.5, 0.5] },
];

export function kenBurnsFor(index: number): KenBurns {
  return KEN_BURNS_MOVES[index % KEN_BURNS_MOVES.length] as KenBurns;
}

export function buildTimeline(inputs: readonly TimelineInput[], options: TimelineOptions): Timeline {
  const o = { ...DEFAULTS, ...withoutUndefined(options), canvas: options.canvas };
  validate(inputs, o);
  const fps = FPS;
  const frames = inputs.map((input) =>
    toFrames(input.duration ?? (input.kind === 'image' ? o.slideDuration : Math.min(input.durationSeconds, o.maxClipDuration)), fps),
  );
  const wanted = o.transition === 'none' ? 0 : toFrames(o.transitionDuration, fps, 0);
  const transitionFrames = frames.slice(1).map((next, i) => {
    // Each neighbour keeps at least one frame of its own between its two transitions.
    const room = Math.floor((Math.min(frames[i] as number, next) - 1) / 2);
    return Math.max(0, Math.min(wanted, room));
  });

  let startFrame = 0;
  const items = inputs.map((input, i): TimelineItem => {
    const start = startFrame / fps;
    const duration = (frames[i] as number) / fps;
    startFrame += (frames[i] as number) - (transitionFrames[i] ?? 0);
    if (input.kind === 'image') {
      return {
        kind: 'image',
        path: input.path,
        start,
        duration,
        ...(o.motion === 'kenburns' ? { kenBurns: kenBurnsFor(i) } : {}),
        ...(input.captionPng === undefined ? {} : { captionPng: input.captionPng }),
      };
    }
    const item: VideoItem = {
      kind: 'video',
      path: input.path,
      start,
      duration,
      audio: o.clipAudio === 'keep' && input.hasAudio === true,
      width: input.width,
      height: input.height,
    };
    return input.captionPng === undefined ? item : { ...item, captionPng: input.captionPng };
  });

  const transitions = transitionFrames.map(
    (f): Transition => ({ kind: f === 0 ? 'none' : o.transition, duration: f / fps }),
  );
  const timeline: Timeline = { canvas: { ...o.canvas }, fps, items, transitions };
  return options.audio === undefined
    ? timeline
    : { ...timeline, audio: { path: options.audio, fadeOutSeconds: 1, startSeconds: options.audioStart ?? 0 } };
}

/** Σ item durations − Σ transition durations. */
export function timelineDuration(timeline: Timeline): number {
  const last = timeline.items[timeline.items.length - 1];
  return last === undefined ? 0 : last.start + last.duration;
}

function toFrames(seconds: number, fps: number, min = 1): number {
  return Math.max(min, Math.round(seconds * fps));
}

function validate(inputs: readonly TimelineInput[], o: Required<Omit<TimelineOptions, 'audio' | 'audioStart'>> & Pick<TimelineOptions, 'audioStart'>): void {
  if (inputs.length === 0) throw new UsageError('nothing to render: the video has no slides or clips');
  if (!(o.canvas.width > 0 && o.canvas.height > 0 && o.canvas.width % 2 === 0 && o.canvas.height % 2 === 0)) {
    throw new UsageError(`canvas ${o.canvas.width}x${o.canvas.height} must have positive even sides (H.264 4:2:0)`);
  }
  positive('slideDuration', o.slideDuration);
  positive('maxClipDuration', o.maxClipDuration);
  if (!(o.transitionDuration >= 0)) {
    throw new InvalidSetting('transitionDuration', o.transitionDuration, 'must be 0 or more seconds');
  }
  if (o.audioStart !== undefined && !(o.audioStart >= 0)) {
    throw new InvalidSetting('audioStart', o.audioStart, 'must be 0 or more seconds');
  }
  if (!TRANSITION_NAMES.includes(o.transition)) {
    throw new InvalidSetting('transition', o.transition, 'is not a transition we know', { allowed: TRANSITION_NAMES });
  }
  for (const input of inputs) {
    if (input.duration !== undefined && !(input.duration > 0)) {
      throw new UsageError(`${input.path}: duration must be more than 0 seconds, got ${input.duration}`);
    }
    if (input.kind === 'video' && !(input.durationSeconds > 0)) {
      throw new UsageError(`${input.path}: clip has no duration (got ${input.durationSeconds})`);
    }
  }
}

function positive(field: string, value: number): void {
  if (!(value > 0)) throw new InvalidSetting(field, value, 'must be more than 0 seconds');
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
