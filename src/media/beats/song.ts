/** A song file → its beats, from `startSeconds` on (where the video's sound starts). */
import { UsageError } from '../../errors.js';
import { analyseBeats, type BeatAnalysis } from './analyse.js';
import { ANALYSIS_SAMPLE_RATE, decodeMono, type DecodeOptions } from './decode.js';

export interface SongOptions extends Omit<DecodeOptions, 'sampleRate'> {
  /** Seconds into the file where the video's sound starts (default 0). */
  startSeconds?: number;
}

export async function analyseSong(path: string, options: SongOptions = {}): Promise<BeatAnalysis> {
  const start = options.startSeconds ?? 0;
  if (!(start >= 0)) throw new UsageError(`beat offset must be 0 or more seconds, got ${start}`);
  const samples = await decodeMono(path, options);
  const from = Math.round(start * ANALYSIS_SAMPLE_RATE);
  if (from >= samples.length) {
    throw new UsageError(`${path}: the song is ${(samples.length / ANALYSIS_SAMPLE_RATE).toFixed(1)} s long, it cannot start at ${start} s`);
  }
  return analyseBeats(samples.subarray(from), ANALYSIS_SAMPLE_RATE);
}
