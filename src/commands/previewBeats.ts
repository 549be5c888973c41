import { basename, resolve } from 'node:path';
import type { Register } from '../cli/command.js';
import { positiveInt } from '../cli/command.js';
import type { Context } from '../context.js';
import type { HoldRange } from '../media/beats/cuts.js';
import type { BeatPreview } from '../services/render/beats.js';
import { beatOffsetOf, holdRange, seconds, secondsOrZero } from './render.js';

export interface PreviewBeatsOptions {
  song: string;
  slides?: number;
  holdRange?: HoldRange;
  beatOffset?: number;
  audioStart?: number;
  slideDuration?: number;
}

export const register: Register = (parent, run) => {
  parent
    .command('preview-beats')
    .description('the tempo of a song and where render --beats would change slides, before rendering')
    .argument('<song>', 'the music (mp3, m4a, wav…)')
    .option('--slides <n>', 'how many slides to cut (default: as many as the song carries, up to 35)', positiveInt)
    .option('--hold-range <min-max>', 'the shortest and longest a slide may hold, in seconds (default 1.5-4)', holdRange)
    .option('--beat-offset <seconds>', 'start the song this far in, such as at its hook (default 0)', secondsOrZero)
    .option('--audio-start <seconds>', 'the same as --beat-offset', secondsOrZero)
    .option('--slide-duration <seconds>', 'the even hold used when the song has no clear beat (default 3)', seconds)
    .addHelpText(
      'after',
      [
        '',
        'Cut times are seconds into the video (the song from --beat-offset on). A song without a clear',
        'beat (speech, ambient sound) is said to have none, and the cuts fall back to even holds.',
        '',
        'Examples:',
        '  slides preview-beats song.mp3',
        '  slides preview-beats song.mp3 --slides 8 --hold-range 1.5-3 --beat-offset 32.5 --json',
      ].join('\n'),
    )
    .action(
      run(async (ctx, song: string, flags: Omit<PreviewBeatsOptions, 'song'>) => {
        await runPreviewBeats({ ...flags, song }, ctx);
      }),
    );
};

export async function runPreviewBeats(o: PreviewBeatsOptions, ctx: Pick<Context, 'io'>): Promise<BeatPreview> {
  const { previewBeats } = await import('../services/render/beats.js');
  const preview = await previewBeats(resolve(o.song), {
    holdRange: o.holdRange,
    beatOffset: beatOffsetOf(o),
    slides: o.slides,
    slideDuration: o.slideDuration,
  });
  const { analysis, plan } = preview;
  const { io } = ctx;
  for (const warning of plan.warnings) io.warn(warning);
  const round = (t: number) => Math.round(t * 1000) / 1000;
  if (io.json) {
    io.printJson({
      song: o.song,
      clear: analysis.clear,
      clarity: round(analysis.clarity),
      tempo: analysis.tempo === undefined ? null : round(analysis.tempo),
      sections: analysis.sections.map((s) => ({ from: round(s.from), bpm: round(s.bpm) })),
      beats: analysis.beats.map(round),
      slides: preview.slides,
      onBeat: plan.onBeat,
      everyBeats: plan.everyBeats ?? null,
      cuts: plan.cuts.map(round),
      end: round(plan.end),
      ending: plan.ending,
      warnings: plan.warnings,
    });
    return preview;
  }
  const name = basename(o.song);
  const s = (t: number) => t.toFixed(2);
  if (analysis.tempo === undefined) io.out(`${name}: no clear beat`);
  else {
    const changes = analysis.sections.length > 1 ? ` (${analysis.sections.map((x) => `${x.bpm.toFixed(1)} from ${s(x.from)} s`).join(', then ')})` : '';
    io.out(`${name}: ${analysis.tempo.toFixed(1)} BPM${changes}`);
  }
  const ending = plan.ending === 'downbeat' || plan.ending === 'beat' ? `ending on a ${plan.ending} at ${s(plan.end)} s` : `ending at ${s(plan.end)} s`;
  const every = plan.everyBeats === undefined
    ? 'even holds'
    : `a change every ${plan.everyBeats} beats (${s((plan.everyBeats * 60) / (analysis.tempo ?? 60))} s)`;
  io.out(`${preview.slides} slide${preview.slides === 1 ? '' : 's'}, ${every}, ${ending}`);
  io.out(plan.cuts.length === 0 ? 'no cuts (one slide)' : `cuts at ${plan.cuts.map(s).join(' ')} s`);
  return preview;
}
