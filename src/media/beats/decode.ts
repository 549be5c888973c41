/** A sound file → mono float samples at the analysis rate, through ffmpeg (the I/O edge). */
import { spawn } from 'node:child_process';
import { endianness } from 'node:os';
import { UsageError } from '../../errors.js';
import { resolveFfmpeg } from '../ffmpeg/binaries.js';

/** Enough for onsets (they live below 11 kHz) at half the work of 44.1 kHz. */
export const ANALYSIS_SAMPLE_RATE = 22_050;

export interface DecodeOptions {
  ffmpegPath?: string;
  sampleRate?: number;
  signal?: AbortSignal;
  /** Seconds into the file to start at (ffmpeg seeks there rather than decoding up to it). */
  startSeconds?: number;
  /** Seconds to decode at most (a video uses only so much of a long song). */
  maxSeconds?: number;
}

export async function decodeMono(path: string, options: DecodeOptions = {}): Promise<Float32Array> {
  const ffmpeg = options.ffmpegPath ?? resolveFfmpeg().path;
  const rate = options.sampleRate ?? ANALYSIS_SAMPLE_RATE;
  const window = [
    ...(options.startSeconds ? ['-ss', String(options.startSeconds)] : []),
    ...(options.maxSeconds === undefined ? [] : ['-t', String(options.maxSeconds)]),
  ];
  const args = ['-nostdin', '-v', 'error', ...window, '-i', path, '-map', '0:a:0', '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'];
  const chunks: Buffer[] = [];
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(ffmpeg, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    const reason = stderr.trim().split('\n').pop() ?? `ffmpeg exit ${code}`;
    throw new UsageError(`${path}: cannot read its sound (${reason})`, { hint: 'pass an audio file (mp3, m4a, wav…)' });
  }
  const bytes = Buffer.concat(chunks);
  if (endianness() === 'LE') return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length - (bytes.length % 4)));
  const samples = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readFloatLE(i * 4);
  return samples;
}
