import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Canvas } from '../../src/media/canvas.js';
import { ffmpegArgs } from '../../src/media/ffmpeg/args.js';
import { slotFrames } from '../../src/media/ffmpeg/audio.js';
import { parseCapabilities } from '../../src/media/ffmpeg/binaries.js';
import { chain, filter, formatNumber, quoteValue, serializeFilter, serializeGraph } from '../../src/media/ffmpeg/graph.js';
import { planRender } from '../../src/media/ffmpeg/plan.js';
import { parseClock, progressReader } from '../../src/media/ffmpeg/progress.js';
import { buildTimeline, timelineDuration, type TimelineInput, type TimelineOptions } from '../../src/media/timeline.js';
import { ffmpegBinaries } from './video-fixtures.js';

const canvas: Canvas = { width: 1080, height: 1920 };
const images = (n: number): TimelineInput[] => Array.from({ length: n }, (_, i) => ({ kind: 'image', path: `s${i}.jpg` }));
const plan = (inputs: TimelineInput[], options: Partial<TimelineOptions> = {}, hasXfade = false, hasFifo = false) =>
  planRender(buildTimeline(inputs, { canvas, ...options }), { hasXfade, hasFifo });
const script = (p: ReturnType<typeof plan>) => serializeGraph(p.graph);

describe('filter graph text', () => {
  it.each([
    { value: 30, text: '30' },
    { value: 0.5, text: '0.5' },
    { value: 1 / 3, text: '0.333333' },
    { value: 1e-7, text: '0' },
    { value: 'yuv420p', text: 'yuv420p' },
    { value: '1+0.15*on/89', text: '1+0.15*on/89' },
    { value: 'fltp|s16', text: 'fltp|s16' },
    { value: 'min(a,b)', text: "'min(a,b)'" },
    { value: 'a:b', text: "'a\\:b'" },
    { value: "it's", text: "'it\\'\\''s'" },
  ])('quotes $value as $text', ({ value, text }) => {
    expect(quoteValue(value)).toBe(text);
  });

  it('serializes filters, chains and pads', () => {
    expect(serializeFilter(filter('anull'))).toBe('anull');
    expect(serializeFilter(filter('trim', { start_frame: 3, end_frame: 9 }))).toBe('trim=start_frame=3:end_frame=9');
    expect(serializeGraph([chain(['0:v', 'cap'], [filter('overlay', { x: 0, y: 0 }), filter('setsar', { sar: 1 })], ['out'])])).toBe(
      '[0:v][cap]overlay=x=0:y=0,setsar=sar=1[out]\n',
    );
    expect(() => chain(['a'], [], ['b'])).toThrow();
    expect(() => formatNumber(Number.NaN)).toThrow();
  });

  it.each(ffmpegBinaries())('survives ffmpeg ($name) parsing values with commas, colons and quotes', async ({ path }) => {
    const dir = await mkdtemp(join(tmpdir(), 'slides-graph-'));
    try {
      const file = join(dir, 'graph.txt');
      const value = "a:b,c'd;[e]";
      await writeFile(
        file,
        serializeGraph([
          chain(
            [],
            [
              filter('color', { c: 'red', s: '16x16', d: 0.1 }),
              filter('setpts', { expr: 'if(gte(N,0),N,0)' }),
              filter('metadata', { mode: 'add', key: 'probe', value }),
            ],
            ['out'],
          ),
        ]),
      );
      const { stderr } = await promisify(execFile)(
        path,
        ['-hide_banner', '-loglevel', 'debug', '-filter_complex_script', file, '-map', '[out]', '-f', 'null', '-'],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      expect(stderr).toContain(`Setting 'expr' to value 'if(gte(N,0),N,0)'`);
      expect(stderr).toContain(`Setting 'value' to value '${value}'`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('planRender', () => {
  it('crossfades slides with fade + overlay on head and tail pieces only, then concatenates', () => {
    const p = plan(images(3));
    expect(p.inputs).toEqual(images(3).map((i) => ({ path: i.path, options: ['-framerate', '30'] })));
    const text = script(p);
    expect(text).toContain('[0:v]scale=w=1080:h=1920:force_original_aspect_ratio=increase,crop=w=1080:h=1920,setsar=sar=1,format=pix_fmts=yuv420p,loop=loop=89:size=1,settb=expr=1/30,setpts=expr=N[v0]');
    expect(text).toContain('[v1]split=outputs=3[v1headin][v1bodyin][v1tailin]');
    expect(text).toContain('[v1bodyin]trim=start_frame=15:end_frame=75,setpts=expr=PTS-STARTPTS[v1body]');
    expect(text).toContain('[v1head]format=pix_fmts=yuva420p,fade=t=in:n=15:alpha=1[v1headfade]');
    expect(text).toContain('[v0tail][v1headfade]overlay=x=0:y=0:format=yuv420[x0]');
    expect(text).toContain('[v0body][x0][v1body][x1][v2body]concat=n=5:v=1:a=0[video]');
    expect(text).not.toContain('xfade');
    expect(text).toContain(`anullsrc=r=48000:cl=stereo,atrim=end_sample=${8 * 48000}[audio]`);
    expect(p).toMatchObject({ videoLabel: 'video', audioLabel: 'audio', warnings: [] });
  });

  it('gates each slide behind a fifo when ffmpeg has one, so transitions are computed only when due', () => {
    expect(script(plan(images(3), {}, false, true))).toContain('settb=expr=1/30,setpts=expr=N,fifo[v0]');
    expect(script(plan(images(3), {}, false, false))).not.toContain('fifo');
  });

  it('cuts without splitting when the transition is none, and a single item needs no concat', () => {
    const cut = script(plan(images(3), { transition: 'none' }));
    expect(cut).not.toContain('split');
    expect(cut).toContain('[v0][v1][v2]concat=n=3:v=1:a=0[video]');
    const single = plan(images(1));
    expect(single.videoLabel).toBe('v0');
    expect(script(single)).not.toContain('concat');
  });

  it('uses xfade for named transitions when ffmpeg has it', () => {
    const p = plan(images(3), { transition: 'circleopen' }, true);
    expect(script(p)).toContain('[v0tail][v1head]xfade=transition=circleopen:duration=0.5:offset=0[x0]');
    expect(script(p)).not.toContain('alpha=1');
    expect(p.warnings).toEqual([]);
  });

  it('falls back to the crossfade with exactly one warning when ffmpeg lacks xfade', () => {
    const p = plan(images(6), { transition: 'slideup' }, false);
    expect(script(p)).not.toContain('xfade');
    expect(script(p).match(/alpha=1/g)).toHaveLength(5);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/slideup.*xfade.*crossfade/);
  });

  it('upscales before zoompan for Ken Burns', () => {
    const text = script(plan(images(2), { motion: 'kenburns' }));
    expect(text).toContain('scale=w=4320:h=7680:flags=bicubic,zoompan=z=1+0.15*on/89:x=(iw-iw/zoom)*(0.5):y=(ih-ih/zoom)*(0.5):d=90:s=1080x1920:fps=30');
    expect(text).toContain('zoompan=z=1.15:x=(iw-iw/zoom)*(0+1*on/89)');
    expect(text).not.toContain('loop=');
  });

  it('draws an image\'s caption over its Ken Burns motion, not under it, before the transitions', () => {
    const p = plan([{ kind: 'image', path: 'base.jpg', captionPng: 'cap.png' }, ...images(1)], { motion: 'kenburns' }, false, true);
    expect(p.inputs.map((i) => i.path)).toEqual(['base.jpg', 'cap.png', 's0.jpg']);
    const text = script(p);
    expect(text).toMatch(/^\[0:v\]scale=w=1080:h=1920:.*,zoompan=.*,settb=expr=1\/30,setpts=expr=N\[v0pic\];$/m);
    expect(text).toContain('[1:v]scale=w=1080:h=1920[v0cap]');
    expect(text).toContain('[v0pic][v0cap]overlay=x=0:y=0,fifo[v0]');
    expect(text.indexOf('zoompan')).toBeLessThan(text.indexOf('overlay=x=0:y=0,fifo[v0]'));
    expect(text.indexOf('overlay=x=0:y=0,fifo[v0]')).toBeLessThan(text.indexOf('[v0]split'));
    expect(text).toContain('zoompan=z=1.15:x=(iw-iw/zoom)*(0+1*on/89):y=(ih-ih/zoom)*(0.5):d=90:s=1080x1920:fps=30,settb=expr=1/30,setpts=expr=N,fifo[v1]');
  });

  it('trims, covers and captions a clip, and puts its sound in its slot', () => {
    const p = plan(
      [{ kind: 'video', path: 'c.mp4', durationSeconds: 30, captionPng: 'cap.png', hasAudio: true }, ...images(1)],
      { maxClipDuration: 4 },
    );
    expect(p.inputs).toEqual([
      { path: 'c.mp4', options: ['-threads', '1', '-t', '4'] },
      { path: 'cap.png', options: [] },
      { path: 's0.jpg', options: ['-framerate', '30'] },
    ]);
    const text = script(p);
    expect(text).toContain('[0:v]fps=fps=30,settb=expr=1/30,setpts=expr=N,scale=w=1080:h=1920:force_original_aspect_ratio=increase,crop=w=1080:h=1920');
    expect(text).toContain('[1:v]scale=w=1080:h=1920[v0cap]');
    expect(text).toContain('[v0clip][v0cap]overlay=x=0:y=0,tpad=stop=-1:stop_mode=clone,trim=end_frame=120[v0]');
    // The clip's slot ends where the slide starts fading in: 3.5 s; the slide has the rest, 3 s.
    expect(text).toContain(`[0:a]aresample=osr=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,asetpts=expr=PTS-STARTPTS,apad,atrim=end_sample=${3.5 * 48000}[a0]`);
    expect(text).toContain(`anullsrc=r=48000:cl=stereo,atrim=end_sample=${3 * 48000}[a1]`);
    expect(text).toContain('[a0][a1]concat=n=2:v=0:a=1[clips]');
    expect(p.audioLabel).toBe('clips');
  });

  it('loops the background audio, fades its last second, and mixes it with clip sound', () => {
    const p = plan([{ kind: 'video', path: 'c.mp4', durationSeconds: 2, hasAudio: true }, ...images(1)], { audio: 'song.mp3' });
    expect(p.inputs.find((i) => i.path === 'song.mp3')?.options).toEqual(['-stream_loop', '-1']);
    const total = 2 + 3 - 0.5;
    const text = script(p);
    expect(text).toContain(`atrim=end_sample=${total * 48000},afade=t=out:st=${total - 1}:d=1[music]`);
    expect(text).toContain('[music][clips]amix=inputs=2:duration=first:dropout_transition=0[audio]');
  });

  it('gives every item a slot; the slots add up to the video', () => {
    for (const options of [{}, { transition: 'none' as const }, { slideDuration: 0.2, transitionDuration: 0.5 }]) {
      const t = buildTimeline(images(7), { canvas, ...options });
      expect(slotFrames(t).reduce((a, b) => a + b, 0)).toBe(Math.round(timelineDuration(t) * 30));
    }
  });

  it('keeps 50 items off the command line: one -i each, the graph in the script', () => {
    const p = plan(images(50));
    const args = ffmpegArgs(p, { filterScript: '/tmp/g.txt', output: 'out.mp4' });
    expect(args.filter((a) => a === '-i')).toHaveLength(50);
    expect(args.join(' ').length).toBeLessThan(2000);
    expect(script(p).split(';\n').length).toBeGreaterThan(200);
  });
});

describe('ffmpegArgs', () => {
  it('asks for H.264 yuv420p 30 fps, AAC 128k, faststart, progress on stdout', () => {
    const args = ffmpegArgs(plan(images(2)), { filterScript: '/tmp/g.txt', output: '-weird:name.mp4' }).join(' ');
    expect(args).toContain('-progress pipe:1');
    expect(args).toContain('-framerate 30 -i file:s0.jpg');
    expect(args).toContain('-filter_complex_script /tmp/g.txt -map [video] -map [audio]');
    for (const part of ['-c:v libx264', '-pix_fmt yuv420p', '-r 30', '-c:a aac', '-b:a 128k', '-movflags +faststart']) {
      expect(args).toContain(part);
    }
    expect(args.endsWith(' file:-weird:name.mp4')).toBe(true);
  });
});

describe('progress', () => {
  it('turns -progress blocks into a rising fraction, across chunk boundaries, ending at 1', () => {
    const seen: number[] = [];
    const feed = progressReader(10, (f) => seen.push(f));
    feed('frame=1\nout_time=N/A\nprogress=continue\nout_time=00:00:0');
    feed('2.500000\nprogress=continue\nout_time=00:00:02.000000\nprogress=continue\n');
    feed('out_time=00:00:07.500000\nprogress=continue\nout_time=00:00:10.000000\nprogress=end\n');
    expect(seen).toEqual([0, 0.25, 0.75, 1]);
  });

  it.each([
    { text: '00:00:01.500000', seconds: 1.5 },
    { text: '01:02:03', seconds: 3723 },
    { text: 'N/A', seconds: undefined },
    { text: '-577014:32:22.775808', seconds: undefined },
  ])('reads the clock $text', ({ text, seconds }) => {
    expect(parseClock(text)).toBe(seconds);
  });
});

describe('parseCapabilities', () => {
  it('reads version, libx264 and xfade from ffmpeg’s listings', () => {
    const caps = parseCapabilities(
      'ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n',
      ' ... acrossfade        AA->A      Cross fade two input audio streams.\n .S. xfade             VV->V      Cross fade one video with another video.\n',
      ' V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)\n',
    );
    expect(caps).toEqual({ version: '5.1.9-0+deb12u1', hasLibx264: true, hasXfade: true, hasFifo: false });
    const old = parseCapabilities(
      'ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/\n',
      ' ... acrossfade        AA->A      Cross fade two input audio streams.\n ... xfade_opencl      VV->V      x\n ... fifo              V->V       Buffer input images and send them when they are requested.\n',
      ' V..... libx264rgb           libx264 H.264 RGB\n',
    );
    expect(old).toEqual({ version: 'N-47683-g0e8eb07980-static', hasLibx264: false, hasXfade: false, hasFifo: true });
  });
});
