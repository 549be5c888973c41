import { runFfmpeg } from './ffmpeg/run.js';
import { probeMedia } from './probe.js';
import { UsageError } from '../errors.js';

export interface ClipFacts {
  durationSeconds: number;
  hasAudio: boolean;
  /** As it plays (turned by its rotation), when ffprobe tells. */
  width?: number;
  height?: number;
}

/** A clip's length, sound and size; anything without a duration is refused. */
export async function probeClip(path: string): Promise<ClipFacts> {
  const info = await probeMedia(path);
  if (info.kind !== 'video' || info.durationSeconds === undefined || !(info.durationSeconds > 0)) {
    throw new UsageError(`${path}: expected a video clip, found ${info.kind === 'video' ? 'no duration' : `an ${info.kind} file`}`);
  }
  return { durationSeconds: info.durationSeconds, hasAudio: info.hasAudio, width: info.width, height: info.height };
}

/** A still of a clip, from its first second: what its photo-post slide shows. */
export interface ClipStill {
  clip: string;
  atSeconds: number;
  out: string;
  logFile: string;
}

export function stillSecond(durationSeconds: number): number {
  return Math.min(1, durationSeconds / 2);
}

export function clipStillArgs(still: Pick<ClipStill, 'clip' | 'atSeconds' | 'out'>): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-ss', String(still.atSeconds), '-i', `file:${still.clip}`, '-frames:v', '1', `file:${still.out}`];
}

export async function writeClipStill(ffmpegPath: string, still: ClipStill): Promise<void> {
  await runFfmpeg(ffmpegPath, clipStillArgs(still), { logFile: still.logFile });
}
