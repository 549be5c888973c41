/**
 * `slides render --beats` and `slides preview-beats` through the built binary (run `npm run build`
 * first; `npm test` does): songs made here, solid-colour photos, and every cut measured on the
 * rendered MP4 itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/media/canvas.js';
import type { Manifest } from '../../src/services/render/manifest.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { clickTrack, offBeat, speechLike, steadyTone, writeWav } from '../media/beats-fixtures.js';
import { centreColours, measuredCuts } from '../media/beats-measure.js';
import type { Rgb } from '../media/video-fixtures.js';

const FPS = 30;
const FRAME = 1 / FPS;
const CANVAS = PRESETS['1:1'];
const COLOURS: Rgb[] = [[230, 30, 30], [30, 200, 30], [30, 30, 230], [230, 230, 30], [230, 30, 230]];
const NO_BEAT = 'warning: no clear beat in the song (speech or ambient sound?): even 3 s holds';

let home: string;
const click = clickTrack(128, 18);
/** 20 s of silence before the music starts. */
const quietIntro = clickTrack(120, 40, 20.25);
const OFFSET = 1.1;

function slides(args: string[]): Promise<CliResult> {
  return runCli(args, { env: { ...process.env, SLIDES_HOME: home, SLIDES_TIMEZONE: 'Europe/Paris', NO_COLOR: '1' } });
}

interface Rendered {
  video: string;
  manifest: string;
}

/** The photos' colours in the order the group's video shows them. */
function coloursOf(manifest: Manifest): Rgb[] {
  return manifest.sources.map((s) => COLOURS[Number(/colour-(\d)/.exec(s.original_name ?? '')?.[1]) - 1] as Rgb);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-beats-cli-'));
  const photos = join(home, 'photos');
  await mkdir(photos);
  await Promise.all(
    COLOURS.map(([r, g, b], i) =>
      sharp({ create: { width: 640, height: 480, channels: 3, background: { r, g, b } } }).jpeg({ quality: 95 }).toFile(join(photos, `colour-${i + 1}.jpg`)),
    ),
  );
  await writeWav(join(home, 'click.wav'), click.samples);
  await writeWav(join(home, 'speech.wav'), speechLike(20));
  await writeWav(join(home, 'tone.wav'), steadyTone(440, 30, 8000), 8000);
  await writeWav(join(home, 'intro.wav'), quietIntro.samples);
  const upload = await slides(['upload', photos]);
  expect(upload.code, upload.stderr).toBe(0);
  const session = await slides(['session', 'new', '--all', '--yes', '--frequency', '10']);
  expect(session.code, session.stderr).toBe(0);
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('slides render --beats (binary)', () => {
  it('cuts a 128 BPM song from its offset on the beat: tempo and cuts in the manifest, every cut in the MP4 within a frame of a beat', async () => {
    const r = await slides(['render', '--beats', '--audio', join(home, 'click.wav'), '--beat-offset', String(OFFSET), '--preset', '1:1', '--no-upload', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
    const result = JSON.parse(r.stdout) as Rendered;
    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as Manifest;
    const video = (manifest.settings as { video: { audioStart: number; beats: { tempo: number; cuts: number[]; end: number; ending: string } } }).video;
    expect(video.audioStart).toBe(OFFSET);
    expect(Math.abs(video.beats.tempo / 128 - 1)).toBeLessThan(0.02);
    expect(video.beats.cuts).toHaveLength(COLOURS.length - 1);

    const heard = click.beats.map((b) => b - OFFSET).filter((b) => b >= 0);
    const frames = await centreColours(result.video, CANVAS);
    const cuts = measuredCuts(frames, coloursOf(manifest), FPS);
    expect(cuts).toHaveLength(COLOURS.length - 1);
    cuts.forEach((cut, i) => {
      expect(offBeat(cut, heard)).toBeLessThanOrEqual(FRAME);
      expect(Math.abs(cut - (video.beats.cuts[i] as number))).toBeLessThanOrEqual(FRAME);
    });
    expect(video.beats.ending).toBe('downbeat');
    expect(offBeat(frames.length / FPS, heard)).toBeLessThanOrEqual(FRAME);
  });

  it('a song without a beat falls back to even holds, saying so in one line', async () => {
    const r = await slides(['render', '--beats', '--audio', join(home, 'speech.wav'), '--preset', '1:1', '--no-upload', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('warning:'))).toEqual([NO_BEAT]);
    const result = JSON.parse(r.stdout) as Rendered;
    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as Manifest;
    expect(manifest.warnings).toEqual([{ text: NO_BEAT.replace('warning: ', '') }]);
    expect(manifest.settings).toMatchObject({ video: { beats: { tempo: null, onBeat: false, cuts: [3, 6, 9, 12], ending: 'even' } } });
    const frames = await centreColours(result.video, CANVAS);
    const cuts = measuredCuts(frames, coloursOf(manifest), FPS);
    expect(cuts).toHaveLength(4);
    cuts.forEach((cut, i) => expect(Math.abs(cut - 3 * (i + 1))).toBeLessThanOrEqual(FRAME));
    expect(frames.length).toBe(15 * FPS);
  });

  it.each([
    { args: ['--beats'], error: 'error: --beats needs --audio: the slides change on the beats of a song' },
    { args: ['--beat-offset', '2'], error: 'error: --beat-offset needs --audio: it says where the song starts' },
    { args: ['--beats', '--audio', 'click.wav', '--hold-range', '4-1.5'], error: 'error: --hold-range 4-1.5: expected the shortest and the longest hold' },
    { args: ['--beats', '--audio', 'click.wav', '--hold-range', 'often'], error: 'error: --hold-range often: expected the shortest and the longest hold' },
    { args: ['--audio', 'click.wav', '--hold-range', '1.5-4'], error: 'error: --hold-range needs --beats: it bounds the holds between the cuts on the beat' },
    { args: ['--beats', '--audio', 'click.wav', '--beat-offset', '30'], error: 'error: --beat-offset 30: is past the end of' },
    { args: ['--audio', 'click.wav', '--beat-offset', '1', '--audio-start', '2'], error: 'error: --beat-offset 1 and --audio-start 2 say different things' },
  ])('render $args is refused: exit 2, one line', async ({ args, error }) => {
    const r = await runCli(['render', '--no-upload', ...args], { cwd: home, env: { ...process.env, SLIDES_HOME: home, NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toContain(error);
  });

  it('the refused renders claimed nothing: the session has only the two groups rendered above', async () => {
    const shown = await slides(['session', 'show', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const groups = (JSON.parse(shown.stdout) as { groups: { status: string }[] }).groups;
    expect(groups.map((g) => g.status)).toEqual(['done', 'done']);
  });
});

describe('slides preview-beats (binary)', () => {
  it('prints the tempo and the cut times render --beats would use', async () => {
    const r = await slides(['preview-beats', join(home, 'click.wav'), '--slides', '5', '--beat-offset', String(OFFSET)]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^click\.wav: 12[78]\.\d BPM$/);
    expect(lines[1]).toMatch(/^5 slides, a change every 4 beats \(1\.8\d s\), ending on a downbeat at \d+\.\d\d s$/);
    const cuts = (lines[2] ?? '').replace(/^cuts at /, '').replace(/ s$/, '').split(' ').map(Number);
    expect(cuts).toHaveLength(4);
    const heard = click.beats.map((b) => b - OFFSET);
    for (const cut of cuts) expect(offBeat(cut, heard)).toBeLessThan(0.011);
  });

  it('--json: tempo, beats, cuts; without a count, as many slides as the song carries on its beats', async () => {
    const r = await slides(['preview-beats', join(home, 'click.wav'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { tempo: number; clear: boolean; slides: number; cuts: number[]; end: number; beats: number[] };
    expect(out.clear).toBe(true);
    expect(Math.abs(out.tempo / 128 - 1)).toBeLessThan(0.02);
    expect(out.cuts).toHaveLength(out.slides - 1);
    expect(out.slides).toBeGreaterThan(5);
    expect(out.end).toBeLessThanOrEqual(18);
    for (const cut of [...out.cuts, out.end]) expect(offBeat(cut, click.beats)).toBeLessThan(0.011);
  });

  it('a 20 s quiet intro: the slides change at the tempo from the start, every hold in the range, as many slides as the song carries', async () => {
    const r = await slides(['preview-beats', join(home, 'intro.wav'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { slides: number; cuts: number[]; end: number };
    const holds = [...out.cuts, out.end].map((t, i) => t - (i === 0 ? 0 : (out.cuts[i - 1] as number)));
    for (const hold of holds) {
      expect(hold).toBeGreaterThanOrEqual(1.5 - 1e-6);
      expect(hold).toBeLessThanOrEqual(4 + 1e-6);
    }
    expect(out.slides).toBeGreaterThan(10);
    expect(out.end).toBeGreaterThan(35);
    expect(r.stderr).toMatch(/^warning: the song's beats start at 20\.\d s: \d+ earlier cut\(s\) follow its tempo, not its beats$/m);
    for (const cut of out.cuts.filter((t) => t > 20.3)) expect(offBeat(cut, quietIntro.beats)).toBeLessThan(0.011);
  });

  it('a song without a beat says so in one line and shows the even holds', async () => {
    const r = await slides(['preview-beats', join(home, 'speech.wav'), '--slides', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe(NO_BEAT);
    expect(r.stdout.trim().split('\n')).toEqual(['speech.wav: no clear beat', '4 slides, even holds, ending at 12.00 s', 'cuts at 3.00 6.00 9.00 s']);
  });

  it('a steady 440 Hz tone recorded at 8 kHz has no clear beat: one line, even holds', async () => {
    const r = await slides(['preview-beats', join(home, 'tone.wav'), '--slides', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe(NO_BEAT);
    expect(r.stdout.trim().split('\n')).toEqual(['tone.wav: no clear beat', '3 slides, even holds, ending at 9.00 s', 'cuts at 3.00 6.00 s']);
  });

  it('a missing song is one line naming it, exit 2', async () => {
    const r = await slides(['preview-beats', join(home, 'nope.mp3')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${join(home, 'nope.mp3')}: no such file`);
  });
});
