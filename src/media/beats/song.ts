/** A song file → its samples and beats, from `startSeconds` on (where the video's sound starts). */
import { InvalidSetting } from '../../errors.js';
import { analyseBeats, type BeatAnalysis } from './analyse.js';
import { ANALYSIS_SAMPLE_RATE, decodeMono, type DecodeOptions } from './decode.js';

export type SongOptions = Omit<DecodeOptions, 'sampleRate'>;

export async function analyseSong(path: string, options: SongOptions = {}): Promise<BeatAnalysis> {
  return songAnalysis(await decodeSong(path, options));
}

/** The beats in samples as decodeSong gives them (at ANALYSIS_SAMPLE_RATE). */
export function songAnalysis(samples: Float32Array): BeatAnalysis {
  return analyseBeats(samples, ANALYSIS_SAMPLE_RATE);
}

/** Mono samples at ANALYSIS_SAMPLE_RATE from the offset on; an offset past the song's end is refused. */
export async function decodeSong(path: string, options: SongOptions = {}): Promise<Float32Array> {
  const start = options.startSeconds ?? 0;
  if (!(start >= 0 && Number.isFinite(start))) throw new InvalidSetting('beatOffset', start, 'must be 0 or more seconds');
  const samples = await decodeMono(path, options);
  if (samples.length === 0) {
    const { startSeconds: _start, maxSeconds: _max, ...source } = options;
    const whole = start > 0 ? await decodeMono(path, source) : samples;
    throw new InvalidSetting('beatOffset', start, `is past the end of ${path}, which is ${(whole.length / ANALYSIS_SAMPLE_RATE).toFixed(1)} s long`);
  }
  return samples;
}
