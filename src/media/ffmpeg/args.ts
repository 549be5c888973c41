/** The ffmpeg command lines for a plan: inputs, the filter script, and the output TikTok accepts. */
import type { InputSpec, PicturePlan, RenderPlan, SoundtrackPlan } from './plan.js';

/**
 * H.264 yuv420p at a constant 30 fps with the index up front (+faststart) and AAC 128k: the
 * upload format TikTok documents. CRF keeps quality fixed; the preset only trades size for time.
 */
const VIDEO_OPTIONS = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-r', '30'] as const;
const AUDIO_OPTIONS = ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'] as const;
const FASTSTART = ['-movflags', '+faststart'] as const;
const HEAD = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-progress', 'pipe:1', '-y'] as const;

export interface ArgPaths {
  filterScript: string;
  output: string;
}

export function ffmpegArgs(plan: RenderPlan, paths: ArgPaths): string[] {
  return [
    ...HEAD,
    ...inputArgs(plan.inputs),
    '-filter_complex_script', paths.filterScript,
    '-map', `[${plan.videoLabel}]`,
    '-map', `[${plan.audioLabel}]`,
    ...VIDEO_OPTIONS,
    ...AUDIO_OPTIONS,
    ...FASTSTART,
    asFile(paths.output),
  ];
}

/** One part of a long video: picture only, joined later by `joinArgs`. */
export function partArgs(plan: PicturePlan, paths: ArgPaths): string[] {
  return [
    ...HEAD,
    ...inputArgs(plan.inputs),
    '-filter_complex_script', paths.filterScript,
    '-map', `[${plan.videoLabel}]`,
    '-an',
    ...VIDEO_OPTIONS,
    asFile(paths.output),
  ];
}

/** The parts (a concat demuxer list) copied as they are, under the soundtrack encoded once. */
export function joinArgs(partList: string, plan: SoundtrackPlan, paths: ArgPaths): string[] {
  return [
    ...HEAD,
    '-f', 'concat', '-safe', '0', '-i', asFile(partList),
    ...inputArgs(plan.inputs),
    '-filter_complex_script', paths.filterScript,
    '-map', '0:v',
    '-map', `[${plan.audioLabel}]`,
    '-c:v', 'copy',
    ...AUDIO_OPTIONS,
    ...FASTSTART,
    asFile(paths.output),
  ];
}

function inputArgs(inputs: readonly InputSpec[]): string[] {
  return inputs.flatMap((input) => [...input.options, '-i', asFile(input.path)]);
}

/** `file:` keeps a name with a colon from being read as a protocol, or one with a dash as an option. */
function asFile(path: string): string {
  return `file:${path}`;
}
