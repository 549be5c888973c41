import { describe, expect, it } from 'vitest';
import type { MediaType } from '../../src/db/types.js';
import type { BeatAnalysis } from '../../src/media/beats/analyse.js';
import { buildGroupSpec, type GroupSettings, type SpecItem } from '../../src/services/render/spec.js';

/** Pure: no sharp, no ffmpeg, no database; every file named here is never opened. */

function item(k: number, o: { caption?: string | null; clip?: { durationSeconds: number; hasAudio: boolean } } = {}): SpecItem {
  const type: MediaType = o.clip ? 'video' : 'image';
  return {
    item: {
      id: `item-${k}`,
      session_id: 's1',
      source_file_id: `src-${k}`,
      position: k,
      generated_caption: o.caption ?? null,
      processed_file_path: null,
      media_type: type,
    },
    source: {
      id: `src-${k}`,
      user_id: 'u1',
      file_path: `u1/${k}.${o.clip ? 'mp4' : 'jpg'}`,
      file_type: type,
      uploaded_at: '2025-06-10T00:00:00Z',
      sha256: String(k).repeat(64).slice(0, 64),
      original_name: `photo-${k}.jpg`,
      size_bytes: 1,
      width: null,
      height: null,
      duration_seconds: o.clip?.durationSeconds ?? null,
      mime_type: null,
    },
    path: `/cache/${k}`,
    ...(o.clip ? { clip: o.clip } : {}),
  };
}

const LOOK: GroupSettings['look'] = { preset: '9:16', style: 'outline', fit: 'cover', position: 'center' };
const PLACE = { folder: '/out/g', workDir: '/tmp/w', logDir: '/state/logs' };

function spec(items: SpecItem[], o: { groupNumber?: number; video?: GroupSettings['video']; settings?: Partial<GroupSettings> } = {}) {
  return buildGroupSpec({
    sessionId: 's1',
    items,
    settings: { look: LOOK, video: o.video ?? null, audio: null, beats: null, font: null, ...o.settings },
    claim: { groupNumber: o.groupNumber ?? 1, createdAt: '2025-06-10T10:00:00.000Z' },
    place: PLACE,
  });
}

describe('buildGroupSpec', () => {
  it.each([
    { items: 1, slides: ['slide-01.jpg'] },
    { items: 3, slides: ['slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg'] },
    { items: 12, slides: Array.from({ length: 12 }, (_, k) => `slide-${String(k + 1).padStart(2, '0')}.jpg`) },
  ])('$items item(s) make $items slide(s), named in order inside the group folder', ({ items, slides }) => {
    const s = spec(Array.from({ length: items }, (_, k) => item(k)));
    expect(s.slideSpecs).toHaveLength(items);
    expect(s.files.slides).toEqual(slides.map((name) => `/out/g/${name}`));
    expect(s.files.manifest).toBe('/out/g/manifest.json');
    expect(s.files.video).toBeNull();
    expect(s.video).toBeNull();
    expect(s.manifest.sources.map((m) => m.slide)).toEqual(slides);
  });

  it.each([
    { groupNumber: 1, captions: ['a1', 'b', null] },
    { groupNumber: 2, captions: ['a2', 'b', null] },
    { groupNumber: 3, captions: ['a3', 'b', null] },
    { groupNumber: 4, captions: ['a1', 'b', null] },
  ])('group $groupNumber picks its caption alternative on every slide', ({ groupNumber, captions }) => {
    const s = spec([item(0, { caption: 'a1 | a2 | a3' }), item(1, { caption: 'b' }), item(2)], { groupNumber });
    expect(s.slideSpecs.map((x) => x.caption ?? null)).toEqual(captions);
    expect(s.manifest.sources.map((m) => m.caption)).toEqual(captions);
    expect(s.manifest.group_number).toBe(groupNumber);
  });

  it.each([
    { slideDuration: 3, transition: 'none' as const, starts: [0, 3, 6], total: 9 },
    { slideDuration: 2, transition: 'fade' as const, starts: [0, 1.5, 3], total: 5 },
    { slideDuration: 1, transition: 'fade' as const, transitionDuration: 0.2, starts: [0, 0.8, 1.6], total: 2.6 },
  ])('timeline: $slideDuration s photos with $transition', ({ slideDuration, transition, transitionDuration, starts, total }) => {
    const s = spec([item(0), item(1), item(2)], { video: { slideDuration, transition, transitionDuration } });
    const timeline = s.video?.timeline;
    expect(timeline?.items.map((i) => i.start)).toEqual(starts.map((x) => expect.closeTo(x, 5)));
    const last = timeline?.items.at(-1);
    expect((last?.start ?? 0) + (last?.duration ?? 0)).toBeCloseTo(total, 5);
    expect(timeline?.items.map((i) => i.path)).toEqual(s.files.slides);
    expect(s.files.video).toBe('/out/g/video.mp4');
  });

  it('a clip plays for its own length, cut at maxClipDuration, and its slide is a still of it', () => {
    const s = spec([item(0), item(1, { clip: { durationSeconds: 7, hasAudio: true }, caption: 'clip' })], {
      video: { slideDuration: 2, transition: 'none', maxClipDuration: 4 },
    });
    expect(s.video?.timeline.items.map((i) => [i.kind, i.duration])).toEqual([
      ['image', 2],
      ['video', 4],
    ]);
    expect(s.stills).toEqual([{ clip: '/cache/1', atSeconds: 1, out: '/tmp/w/item-2-poster.png', logFile: '/tmp/w/item-2-poster.log' }]);
    expect(s.slideSpecs[1]?.source).toBe('/tmp/w/item-2-poster.png');
    expect(s.video?.overlays.map((o) => [o.caption, o.out])).toEqual([['clip', '/tmp/w/item-2-caption.png']]);
  });

  it('with motion a captioned photo plays captionless under its overlay; the slide keeps its caption', () => {
    const s = spec([item(0, { caption: 'moving' }), item(1)], { video: { motion: 'kenburns' } });
    expect(s.video?.bases).toEqual([{ spec: expect.objectContaining({ source: '/cache/0' }), out: '/tmp/w/item-1-base.jpg' }]);
    expect(s.video?.bases[0]?.spec.caption).toBeUndefined();
    expect(s.slideSpecs[0]?.caption).toBe('moving');
    expect(s.video?.timeline.items.map((i) => [i.path, i.captionPng])).toEqual([
      ['/tmp/w/item-1-base.jpg', '/tmp/w/item-1-caption.png'],
      ['/out/g/slide-02.jpg', undefined],
    ]);
  });

  it('the manifest names music and font by file name and hash, never by local path', () => {
    const s = spec([item(0)], {
      video: {},
      settings: {
        audio: { path: '/home/ana/Music/song.mp3', name: 'song.mp3', sha256: 'a'.repeat(64) },
        font: { path: '/home/ana/fonts/Brand.ttf', name: 'Brand.ttf', sha256: 'f'.repeat(64) },
      },
    });
    expect(s.slideSpecs[0]?.fontFile).toBe('/home/ana/fonts/Brand.ttf');
    expect(s.video?.timeline.audio?.path).toBe('/home/ana/Music/song.mp3');
    expect(s.manifest.settings).toMatchObject({
      font: { name: 'Brand.ttf', sha256: 'f'.repeat(64) },
      video: { audio: { name: 'song.mp3', sha256: 'a'.repeat(64) } },
    });
    expect(JSON.stringify(s.manifest)).not.toContain('/home/ana');
  });

  describe('on the beat', () => {
    /** 120 BPM from 0.5 s, bars on beats 0, 4, 8…: cuts every 4 beats (2 s) at 2.5, 4.5, … */
    const beats: BeatAnalysis = {
      durationSeconds: 30,
      clear: true,
      clarity: 0.9,
      tempo: 120,
      beats: Array.from({ length: 59 }, (_, i) => 0.5 + i * 0.5),
      downbeatPhase: 0,
      sections: [{ from: 0.5, bpm: 120 }],
    };
    const audio = { path: '/music/song.mp3', name: 'song.mp3', sha256: 'a'.repeat(64) };

    it('every cut is a beat, each crossfade half done on it; the song starts at the offset; tempo and cuts in the manifest', () => {
      const s = spec([item(0), item(1), item(2), item(3)], {
        video: { beats: true, beatOffset: 12.25, transition: 'fade', transitionDuration: 0.5 },
        settings: { audio, beats },
      });
      const timeline = s.video?.timeline;
      const items = timeline?.items ?? [];
      const blends = timeline?.transitions.map((t) => t.duration) ?? [];
      // Item k+1 starts half a blend before its cut.
      expect(items.slice(1).map((it, k) => it.start + (blends[k] as number) / 2)).toEqual([2.5, 4.5, 6.5].map((t) => expect.closeTo(t, 6)));
      const last = items.at(-1);
      expect((last?.start ?? 0) + (last?.duration ?? 0)).toBeCloseTo(8.5, 6);
      expect(timeline?.audio).toMatchObject({ path: '/music/song.mp3', startSeconds: 12.25 });
      expect(s.manifest.settings).toMatchObject({
        video: { audioStart: 12.25, beats: { tempo: 120, onBeat: true, everyBeats: 4, cuts: [2.5, 4.5, 6.5], end: 8.5, ending: 'downbeat', holdRange: { min: 1.5, max: 4 } } },
      });
      expect(s.warnings).toEqual([]);
    });

    it('a song without a clear beat: even holds, said in one warning', () => {
      const none: BeatAnalysis = { durationSeconds: 30, clear: false, clarity: 0.05, beats: [], downbeatPhase: 0, sections: [] };
      const s = spec([item(0), item(1), item(2)], { video: { beats: true, slideDuration: 2.5, transition: 'none' }, settings: { audio, beats: none } });
      expect(s.video?.timeline.items.map((i) => i.start)).toEqual([0, 2.5, 5]);
      expect(s.warnings).toEqual(['no clear beat in the song (speech or ambient sound?): even 2.5 s holds']);
      expect(s.manifest.settings).toMatchObject({ video: { beats: { tempo: null, onBeat: false, cuts: [2.5, 5], ending: 'even' } } });
    });

    it('without beats the manifest says so and holds stay as set', () => {
      const s = spec([item(0), item(1)], { video: { slideDuration: 2, transition: 'none' }, settings: { audio } });
      expect(s.video?.timeline.items.map((i) => i.start)).toEqual([0, 2]);
      expect(s.manifest.settings).toMatchObject({ video: { audioStart: 0, beats: false } });
    });
  });
});
