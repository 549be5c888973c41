/** The ffmpeg command line for a plan: inputs, the filter script, and the output TikTok accepts. */
import type { RenderPlan } from './plan.js';

/**
 * H.264 yuv420p at a constant 30 fps with the index up front (+faststart) and AAC 128k: the
 * upload format TikTok documents. CRF keeps quality fixed; the preset only trades size for time.
 */
const OUTPUT_OPTIONS = [
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-r', '30',
  '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
  '-movflags', '+faststart',
] as const;

export interface ArgPaths {
  filterScript: string;
  output: string;
}

export function ffmpegArgs(plan: RenderPlan, paths: ArgPaths): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-progress', 'pipe:1', '-y',
    ...plan.inputs.flatMap((input) => [...input.options, '-i', asFile(input.path)]),
    '-filter_complex_script', paths.filterScript,
    '-map', `[${plan.videoLabel}]`,
    '-map', `[${plan.audioLabel}]`,
    ...OUTPUT_OPTIONS,
    asFile(paths.output),
  ];
}

/** `file:` keeps a name with a colon from being read as a protocol, or one with a dash as an option. */
function asFile(path: string): string {
  return `file:${path}`;
}
