import { describe, expect, it } from 'vitest';
import { analyseBeats, tempoSections } from '../../src/media/beats/analyse.js';
import { ambient, amplitudeModulated, clickTrack, kickAndHat, noise, offBeat, RATE, speechLike, steadyTone, tempoChange, type Track } from './beats-fixtures.js';

/** `within`: how far (s) a found beat may sit from the true one; a kick's attack is slower than a click's. */
const TRACKS: { name: string; track: Track; tempo: number; sections?: number[]; within?: number }[] = [
  { name: 'a 90 BPM click track', track: clickTrack(90, 16), tempo: 90 },
  { name: 'a 120 BPM click track', track: clickTrack(120, 16), tempo: 120 },
  { name: 'a 128 BPM click track', track: clickTrack(128, 16), tempo: 128 },
  { name: 'a 110 BPM kick-and-hat pattern under noise', track: kickAndHat(110, 16, 0.12), tempo: 110, within: 0.015 },
  { name: 'a 95 BPM kick-and-hat pattern under louder noise', track: kickAndHat(95, 16, 0.2), tempo: 95, within: 0.015 },
  { name: 'a 120 BPM kick-and-hat pattern under loud noise', track: kickAndHat(120, 16, 0.3), tempo: 120, within: 0.015 },
  {
    name: 'clicks going from 100 to 130 BPM',
    track: tempoChange([{ bpm: 100, until: 12 }, { bpm: 130, until: 24 }], 24),
    tempo: 100,
    sections: [100, 130],
  },
  {
    name: 'clicks going from 128 down to 96 BPM',
    track: tempoChange([{ bpm: 128, until: 12 }, { bpm: 96, until: 24 }], 24),
    tempo: 128,
    sections: [128, 96],
  },
];

describe('analyseBeats', () => {
  it.each(TRACKS)('$name: tempo within 2 %, every beat found where it is', ({ track, tempo, sections = [tempo], within = 0.01 }) => {
    const a = analyseBeats(track.samples, RATE);
    expect(a.clear).toBe(true);
    expect(Math.abs((a.tempo as number) / tempo - 1)).toBeLessThan(0.02);
    expect(a.sections).toHaveLength(sections.length);
    a.sections.forEach((s, i) => expect(Math.abs(s.bpm / sections[i]! - 1)).toBeLessThan(0.02));
    for (const beat of a.beats) expect(offBeat(beat, track.beats)).toBeLessThan(within);
    // The tracker may drop a weak first or last beat, never one in the middle.
    const missed = track.beats.flatMap((b, i) => (offBeat(b, a.beats) < within ? [] : [i]));
    expect(missed.filter((i) => i !== 0 && i !== track.beats.length - 1)).toEqual([]);
  });

  it.each([
    { name: 'speech-like syllables', samples: speechLike(16) },
    { name: 'an ambient pad', samples: ambient(16) },
    { name: 'silence', samples: new Float32Array(RATE * 5) },
    { name: 'a quarter second of sound', samples: clickTrack(120, 0.25).samples },
    { name: 'a steady 440 Hz tone at 8 kHz', samples: steadyTone(440, 30, 8000), rate: 8000 },
    { name: 'a steady 440 Hz tone at 22.05 kHz', samples: steadyTone(440, 30, 22_050), rate: 22_050 },
    { name: 'a steady 440 Hz tone at 44.1 kHz', samples: steadyTone(440, 30) },
    { name: 'white noise', samples: noise(30, 'white') },
    { name: 'pink noise', samples: noise(30, 'pink') },
    { name: 'a voice swelling 4 times a second', samples: amplitudeModulated(4, 30, 'voice') },
    { name: 'a voice swelling about 4 times a second, unevenly', samples: amplitudeModulated(4, 30, 'voice', 0.5) },
    { name: 'a voice swelling twice a second', samples: amplitudeModulated(2, 30, 'voice') },
    { name: 'noise swelling 4 times a second', samples: amplitudeModulated(4, 30, 'noise') },
  ])('$name has no clear beat', ({ samples, rate = RATE }) => {
    const a = analyseBeats(samples, rate);
    expect(a).toMatchObject({ clear: false, beats: [], sections: [] });
    expect(a.tempo).toBeUndefined();
  });

  it('puts the bar on the kick: beats carrying bass are the downbeats', () => {
    const track = kickAndHat(110, 12, 0.05);
    const a = analyseBeats(track.samples, RATE);
    // The pattern's kicks fall on its even beats (0, 2, …): the downbeat phase must land on one.
    const first = a.beats[a.downbeatPhase] as number;
    const index = track.beats.findIndex((b) => Math.abs(b - first) < 0.01);
    expect(index % 2).toBe(0);
  });
});

describe('tempoSections', () => {
  it.each([
    { beats: [0, 0.5, 1, 1.5, 2, 2.5, 3], expected: [{ from: 0, bpm: 120 }] },
    {
      beats: [0, 1, 2, 3, 4, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5],
      expected: [{ from: 0, bpm: 60 }, { from: 5, bpm: 120 }],
    },
    { beats: [0, 0.5, 1.02, 1.5, 2, 2.49, 3], expected: [{ from: 0, bpm: 120 }] },
  ])('splits $beats where the gap changes for good', ({ beats, expected }) => {
    const sections = tempoSections(beats);
    expect(sections.map((s) => s.from)).toEqual(expected.map((s) => s.from));
    sections.forEach((s, i) => expect(s.bpm).toBeCloseTo(expected[i]!.bpm, 0));
  });
});
