/** What a media file is (image, video or audio), its size, duration and audio, read by ffprobe. */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { resolveFfprobe } from './ffmpeg/binaries.js';

export interface MediaInfo {
  kind: 'image' | 'video' | 'audio';
  /** As displayed: swapped for clips recorded rotated by 90°. */
  width?: number;
  height?: number;
  durationSeconds?: number;
  hasAudio: boolean;
  /** Of the picture for images and videos, of the sound for audio. */
  codec?: string;
}

const numeric = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().finite());

const Stream = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  duration: numeric.optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.object({ rotate: numeric.optional() }).optional(),
  side_data_list: z.array(z.object({ rotation: numeric.optional() })).optional(),
});
type Stream = z.infer<typeof Stream>;

const ProbeOutput = z.object({
  streams: z.array(Stream).default([]),
  format: z.object({ format_name: z.string().optional(), duration: numeric.optional() }).optional(),
});
type ProbeOutput = z.infer<typeof ProbeOutput>;

const run = promisify(execFile);

export async function probeMedia(path: string, options: { ffprobePath?: string } = {}): Promise<MediaInfo> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`${path}: file not found`);
  }
  const ffprobe = options.ffprobePath ?? resolveFfprobe().path;
  let stdout: string;
  try {
    ({ stdout } = await run(
      ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      { maxBuffer: 16 * 1024 * 1024 },
    ));
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? '';
    throw unreadable(path, lastLine(stderr) ?? 'ffprobe failed', cause);
  }
  const parsed = ProbeOutput.safeParse(parseJson(stdout));
  if (!parsed.success) throw unreadable(path, 'unexpected ffprobe output', parsed.error);
  const info = mediaInfoOf(parsed.data);
  if (info === undefined) throw unreadable(path, 'no picture or sound in it');
  return info;
}

/** Pure: ffprobe's JSON → MediaInfo, or undefined when the file holds neither picture nor sound. */
export function mediaInfoOf(probe: ProbeOutput): MediaInfo | undefined {
  // Cover art in music files is a video stream flagged attached_pic: it is not a picture to show.
  const picture = probe.streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const sound = probe.streams.find((s) => s.codec_type === 'audio');
  const hasAudio = sound !== undefined;
  const duration = probe.format?.duration ?? picture?.duration ?? sound?.duration;
  if (picture === undefined) {
    if (sound === undefined) return undefined;
    return compact({ kind: 'audio', durationSeconds: duration, hasAudio, codec: sound.codec_name });
  }
  const formatName = probe.format?.format_name ?? '';
  const isImage = formatName === 'image2' || formatName.endsWith('_pipe');
  const rotated = Math.abs(rotationOf(picture)) % 180 === 90;
  return compact({
    kind: isImage ? 'image' : 'video',
    width: rotated ? picture.height : picture.width,
    height: rotated ? picture.width : picture.height,
    durationSeconds: isImage ? undefined : duration,
    hasAudio,
    codec: picture.codec_name,
  });
}

function rotationOf(stream: Stream): number {
  return stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0;
}

function unreadable(path: string, reason: string, cause?: unknown): UsageError {
  return new UsageError(`${path}: not a readable image, video or audio file (${reason})`, {
    hint: 'check the file opens in a media player, or remove it',
    cause,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').pop()?.trim() || undefined;
}

function compact(info: { [K in keyof MediaInfo]: MediaInfo[K] | undefined }): MediaInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as MediaInfo;
}
