/**
 * A cut plan → per-item durations for the timeline, in whole frames, so each transition is
 * centred on its cut: it starts half its length before the beat and is half done on it.
 */
import type { TransitionName } from '../timeline.js';
import type { CutPlan } from './cuts.js';

export interface BeatHolds {
  /** Seconds each item lasts, its transitions included. */
  durations: number[];
  /** An even number of frames, so the middle of the blend falls on the cut's frame. */
  transitionDuration: number;
}

export function holdsFor(plan: CutPlan, transition: { kind: TransitionName; seconds: number }, fps: number): BeatHolds {
  const transitionSeconds = transition.kind === 'none' ? 0 : transition.seconds;
  const cutFrames = plan.cuts.map((t) => Math.round(t * fps));
  const endFrame = Math.round(plan.end * fps);
  const bounds = [0, ...cutFrames, endFrame];
  const shortest = Math.min(...bounds.slice(1).map((b, i) => b - (bounds[i] as number)));
  // The timeline leaves each item a frame of its own between its transitions; the first and the
  // last item carry only half a transition on one side, so the shortest hold bounds it.
  const room = Math.floor((shortest - 1) / 1.5);
  const frames = Math.max(0, Math.min(evenFloor(Math.round(transitionSeconds * fps) + 1), evenFloor(room)));
  const half = frames / 2;
  const durations = bounds.slice(1).map((b, i) => {
    const start = i === 0 ? 0 : (bounds[i] as number) - half;
    const end = i === bounds.length - 2 ? b : b + half;
    return (end - start) / fps;
  });
  return { durations, transitionDuration: frames / fps };
}

function evenFloor(n: number): number {
  return 2 * Math.floor(n / 2);
}
