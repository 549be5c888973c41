/**
 * The soundtrack, exactly as long as the video: clips' own sound in their slots (silence under
 * slides), the background audio from its start offset, looped/trimmed with a fade-out, both mixed,
 * or silence.
 */
import type { Timeline } from '../timeline.js';
import { chain, filter, formatNumber, type Chain, type Filter } from './graph.js';
import { framesOf, type AddInput } from './items.js';

export const SAMPLE_RATE = 48_000;

/** The input index of each clip whose sound is kept, by item position. */
export type ClipAudioInputs = ReadonlyMap<number, number>;

export function audioChains(timeline: Timeline, clipInputs: ClipAudioInputs, addInput: AddInput): { chains: Chain[]; label: string } {
  const samplesPerFrame = SAMPLE_RATE / timeline.fps;
  const slots = slotFrames(timeline).map((frames) => frames * samplesPerFrame);
  const total = slots.reduce((a, b) => a + b, 0);
  const chains: Chain[] = [];
  const tracks: string[] = [];

  if (timeline.audio !== undefined) {
    const input = addInput(timeline.audio.path, ['-stream_loop', '-1']);
    const seconds = total / SAMPLE_RATE;
    const fade = Math.min(timeline.audio.fadeOutSeconds, seconds);
    chains.push(
      chain(
        [`${input}:a`],
        [
          ...normalize(),
          ...skip(Math.round(timeline.audio.startSeconds * SAMPLE_RATE)),
          filter('atrim', { end_sample: total }),
          filter('afade', { t: 'out', st: formatNumber(seconds - fade), d: formatNumber(fade) }),
        ],
        ['music'],
      ),
    );
    tracks.push('music');
  }

  if (clipInputs.size > 0) {
    const pieces = slots.map((samples, i) => {
      const input = clipInputs.get(i);
      const label = `a${i}`;
      // A clip's sound may be shorter than its picture: apad fills, atrim cuts to the slot.
      chains.push(
        input === undefined
          ? chain([], [silence(), filter('atrim', { end_sample: samples })], [label])
          : chain([`${input}:a`], [...normalize(), filter('apad'), filter('atrim', { end_sample: samples })], [label]),
      );
      return label;
    });
    chains.push(chain(pieces, [filter('concat', { n: pieces.length, v: 0, a: 1 })], ['clips']));
    tracks.push('clips');
  }

  const [only] = tracks;
  if (tracks.length === 1 && only !== undefined) return { chains, label: only };
  chains.push(
    tracks.length === 0
      ? chain([], [silence(), filter('atrim', { end_sample: total })], ['audio'])
      : chain(tracks, [filter('amix', { inputs: tracks.length, duration: 'first', dropout_transition: 0 })], ['audio']),
  );
  return { chains, label: 'audio' };
}

/**
 * Each item's share of the video before the next one starts (the whole of the last). The sound
 * of a clip therefore stops where the transition into the next item begins.
 */
export function slotFrames(timeline: Timeline): number[] {
  return timeline.items.map((item, i) => {
    const next = timeline.items[i + 1];
    const end = next === undefined ? item.start + item.duration : next.start;
    return framesOf(end, timeline.fps) - framesOf(item.start, timeline.fps);
  });
}

function normalize(): Filter[] {
  return [
    filter('aresample', { osr: SAMPLE_RATE }),
    filter('aformat', { sample_fmts: 'fltp', channel_layouts: 'stereo' }),
    filter('asetpts', { expr: 'PTS-STARTPTS' }),
  ];
}

/** Sample-exact, unlike seeking the input, so the beats heard are the beats analysed. */
function skip(samples: number): Filter[] {
  return samples === 0 ? [] : [filter('atrim', { start_sample: samples }), filter('asetpts', { expr: 'PTS-STARTPTS' })];
}

function silence(): Filter {
  return filter('anullsrc', { r: SAMPLE_RATE, cl: 'stereo' });
}
