/** A song file → its beats, from `startSeconds` on (where the video's sound starts). */
import { InvalidSetting } from '../../errors.js';
import { analyseBeats, type BeatAnalysis } from './analyse.js';
import { ANALYSIS_SAMPLE_RATE, decodeMono, type DecodeOptions } from './decode.js';

export interface SongOptions extends Omit<DecodeOptions, 'sampleRate'> {
  /** Seconds into the file where the video's sound starts (default 0). */
  startSeconds?: number;
}

export async function analyseSong(path: string, options: SongOptions = {}): Promise<BeatAnalysis> {
  const start = options.startSeconds ?? 0;
  if (!(start >= 0 && Number.isFinite(start))) throw new InvalidSetting('beatOffset', start, 'must be 0 or more seconds');
  const samples = await decodeMono(path, options);
  const from = Math.round(start * ANALYSIS_SAMPLE_RATE);
  if (from >= samples.length) {
    throw new InvalidSetting('beatOffset', start, `is past the end of ${path}, which is ${(samples.length / ANALYSIS_SAMPLE_RATE).toFixed(1)} s long`);
  }
  return analyseBeats(samples.subarray(from), ANALYSIS_SAMPLE_RATE);
}
