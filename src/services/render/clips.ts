import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { renderCaptionOverlay } from '../../media/caption/overlay.js';
import type { CaptionOptions } from '../../media/caption/caption.js';
import { runFfmpeg } from '../../media/ffmpeg/run.js';
import { probeMedia } from '../../media/probe.js';
import { UsageError } from '../../errors.js';

export interface ClipFacts {
  durationSeconds: number;
  hasAudio: boolean;
  /** A still of the clip: what its photo-post slide shows. */
  poster: string;
}

/** A clip's length and sound, and a still from its first second for its slide. */
export async function prepareClip(path: string, o: { ffmpegPath: string; workDir: string; name: string }): Promise<ClipFacts> {
  const info = await probeMedia(path);
  if (info.kind !== 'video' || info.durationSeconds === undefined || !(info.durationSeconds > 0)) {
    throw new UsageError(`${path}: expected a video clip, found ${info.kind === 'video' ? 'no duration' : `an ${info.kind} file`}`);
  }
  const poster = join(o.workDir, `${o.name}-poster.png`);
  const at = Math.min(1, info.durationSeconds / 2);
  await runFfmpeg(
    o.ffmpegPath,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-ss', String(at), '-i', `file:${path}`, '-frames:v', '1', `file:${poster}`],
    { logFile: join(o.workDir, `${o.name}-poster.log`) },
  );
  return { durationSeconds: info.durationSeconds, hasAudio: info.hasAudio, poster };
}

/**
 * The caption as a transparent full-canvas PNG, exactly as on its slide: laid over a clip, or
 * over a photo's motion.
 */
export async function writeCaptionOverlay(
  caption: string,
  o: CaptionOptions & { workDir: string; name: string },
): Promise<{ png: string; warnings: string[] }> {
  const { png, warnings } = await renderCaptionOverlay(caption, o);
  const file = join(o.workDir, `${o.name}-caption.png`);
  await writeFile(file, png);
  return { png: file, warnings };
}
