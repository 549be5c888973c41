import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, ObjectStore } from '../../src/db/backend.js';
import type { MediaSession, SourceFile } from '../../src/db/types.js';
import { DayCapReached, InvalidSetting, UsageError } from '../../src/errors.js';
import { claimDaySlot } from '../../src/services/render/dayCount.js';
import type { Claim } from '../../src/services/schedule/claim.js';
import { GroupFailed } from '../../src/services/render/failure.js';
import type { Manifest } from '../../src/services/render/manifest.js';
import type { RenderOptions } from '../../src/services/render/group.js';
import { renderSlideGroup } from '../../src/services/render/renderSlideGroup.js';
import { renderProgress } from '../../src/cli/renderProgress.js';
import { runDueDeps } from '../../src/commands/run.js';
import { runDue } from '../../src/services/schedule/runDue.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import { frameAt, near, pixel, streamsOf, stripedClip, tone } from '../media/video-fixtures.js';
import { addSource, createSession, writePhoto } from './seed.js';
import { uploadEach } from '../../src/db/uploadEach.js';

const ZONE = 'Europe/Paris';
const NOON = '2025-06-10T10:00:00.000Z';
const FAST: RenderOptions = { video: false, upload: true, preset: '9:16', style: 'outline', force: false };

let tdb: TestDatabase;
let backend: Backend;
let photosDir: string;
let sources: SourceFile[];

beforeEach(async () => {
  tdb = await testDatabase();
  backend = await tdb.user();
  photosDir = mkdtempSync(join(tmpdir(), 'slides-photos-'));
  sources = [];
  for (let i = 0; i < 3; i++) sources.push(await addSource(backend, await writePhoto(photosDir, i)));
});

afterEach(async () => {
  await tdb.close();
  rmSync(photosDir, { recursive: true, force: true });
});

function deps(o: { now?: string; storage?: ObjectStore; home?: string } = {}) {
  const { ctx, output, home } = testContext({ now: o.now ?? NOON, home: o.home });
  const b: Backend = o.storage ? { ...backend, storage: o.storage } : backend;
  return { deps: { backend: b, clock: ctx.clock, paths: ctx.paths, timeZone: ZONE, onProgress: renderProgress(ctx.io, { timeZone: ZONE }) }, output, home };
}

async function sessionRow(id: string): Promise<MediaSession> {
  const [row] = await backend.rows.select('media_sessions', { where: { id } });
  if (!row) throw new Error('no session');
  return row;
}

async function exportKeys(session: MediaSession): Promise<string[]> {
  return (await backend.storage.list('Exports', `${backend.identity.userId}/${session.id}/`)).map((o) => o.key);
}

async function failureOf(promise: Promise<unknown>): Promise<GroupFailed> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GroupFailed);
  return error as GroupFailed;
}

describe('renderSlideGroup', () => {
  it('renders slides, video and manifest, pushes them to Exports and records the group', async () => {
    const session = await createSession(backend, sources, { captions: ['first light ☀️', null, 'the hills | the valley'] });
    const { deps: d } = deps();
    const result = await renderSlideGroup(d, { ...FAST, video: true, slideDuration: 1, transition: 'none' });

    expect(readdirSync(result.folder).sort()).toEqual(['manifest.json', 'slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg', 'video.mp4']);
    for (const slide of result.slides) {
      const meta = await sharp(slide).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1080, 1920]);
    }
    const { duration, streams } = await streamsOf(result.video as string);
    expect(duration).toBeCloseTo(3, 0);
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);

    const prefix = `${backend.identity.userId}/${session.id}/${result.folder.split('/').pop()}`;
    expect(result.exports?.folder).toBe(prefix);
    expect((await exportKeys(session)).sort()).toEqual(
      ['manifest.json', 'slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg', 'video.mp4'].map((f) => `${prefix}/${f}`),
    );

    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as Manifest;
    expect(manifest.sources.map((s) => s.caption)).toEqual(['first light ☀️', null, 'the hills']);
    expect(manifest.sources.map((s) => s.sha256)).toEqual(sources.map((s) => s.sha256));
    expect(manifest.outputs.map((o) => o.file)).toEqual(['slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg', 'video.mp4']);
    expect(manifest.outputs.every((o) => /^[0-9a-f]{64}$/.test(o.sha256))).toBe(true);

    const [group] = await backend.rows.select('slide_groups', { where: { session_id: session.id } });
    expect(group).toMatchObject({ status: 'done', group_number: 1, slide_count: 3, folder: prefix, video_path: `${prefix}/video.mp4`, error: null });
    const items = await backend.rows.select('session_media_items', { where: { session_id: session.id }, order: [{ column: 'position' }] });
    expect(items.map((i) => i.processed_file_path)).toEqual([1, 2, 3].map((n) => `${prefix}/slide-0${n}.jpg`));
    expect(await sessionRow(session.id)).toMatchObject({
      exported_video_path: `${prefix}/video.mp4`,
      created_per_day: 1,
      last_run_at: NOON,
      groups_created: 1,
      next_position: 0,
    });
  });

  it('takes per_group items from next_position, wrapping round, and picks caption alternatives by group number', async () => {
    const session = await createSession(backend, sources, { perGroup: 2, captions: ['a1 | a2', 'b1 | b2', 'c1 | c2'], maxPerDay: null });
    const captions: (string | null)[][] = [];
    for (const hour of ['08', '09', '10']) {
      const { deps: d } = deps({ now: `2025-06-10T${hour}:00:00.000Z` });
      const result = await renderSlideGroup(d, FAST);
      const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as Manifest;
      captions.push(manifest.sources.map((s) => s.caption));
    }
    expect(captions).toEqual([['a1', 'b1'], ['c2', 'a2'], ['b1', 'c1']]);
    expect(await sessionRow(session.id)).toMatchObject({ next_position: 0, groups_created: 3, created_per_day: 3 });
  });

  it('counts groups per local day, refuses past max_per_day with the next allowed time unless forced', async () => {
    const session = await createSession(backend, sources, { frequency: 1, maxPerDay: 1 });
    // 23:30 in Paris on 10 June is 21:30 UTC; 00:30 on the 11th in Paris is still the 10th in UTC.
    await renderSlideGroup(deps({ now: '2025-06-10T21:30:00.000Z' }).deps, FAST);
    const refused = await renderSlideGroup(deps({ now: '2025-06-10T21:45:00.000Z' }).deps, FAST).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DayCapReached);
    expect((refused as DayCapReached).message).toContain('next one is allowed at 2025-06-11 00:00 (Europe/Paris)');

    await renderSlideGroup(deps({ now: '2025-06-10T21:50:00.000Z' }).deps, { ...FAST, force: true });
    expect((await sessionRow(session.id)).created_per_day).toBe(2);

    await renderSlideGroup(deps({ now: '2025-06-10T22:30:00.000Z' }).deps, FAST);
    expect(await sessionRow(session.id)).toMatchObject({ created_per_day: 1, last_run_at: '2025-06-10T22:30:00.000Z', groups_created: 3 });
  });

  it('a clip plays in the video with its caption over it, and its slide is a still from it', async () => {
    const ffmpeg = resolveFfmpeg().path;
    const clip = await addSource(backend, await stripedClip(ffmpeg, photosDir, { seconds: 1, tone: true }), 'video');
    const session = await createSession(backend, [clip, sources[0] as SourceFile], { captions: ['on the road 🚗', null] });
    const result = await renderSlideGroup(deps().deps, { ...FAST, video: true, slideDuration: 1, transition: 'none', preset: '1:1' });
    const canvas = { width: 1080, height: 1080 };
    const { duration, streams } = await streamsOf(result.video as string);
    expect(duration).toBeCloseTo(2, 0);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1080, height: 1080 });
    // The still (cropped by the slide's smart crop) and the clip's frames (centred) show its red | green | blue thirds.
    const still = await sharp(result.slides[0] as string).raw().toBuffer();
    const primaries = [[255, 0, 0], [0, 255, 0], [0, 0, 255]] as const;
    for (const x of [100, 1000]) expect(primaries.some((c) => near(pixel(still, canvas, x, 1000), c, 40))).toBe(true);
    const frame = await frameAt(ffmpeg, result.video as string, 5, canvas);
    expect(near(pixel(frame, canvas, 540, 1000), [0, 255, 0], 40)).toBe(true);
    // The clip has no white anywhere: white pixels are the caption's fill.
    let white = 0;
    for (let y = 0; y < canvas.height; y += 4) for (let x = 0; x < canvas.width; x += 4) if (near(pixel(frame, canvas, x, y), [255, 255, 255], 30)) white++;
    expect(white).toBeGreaterThan(100);
    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as Manifest;
    expect(manifest.sources.map((s) => [s.media_type, s.caption])).toEqual([['video', 'on the road 🚗'], ['image', null]]);
    expect((await sessionRow(session.id)).groups_created).toBe(1);
  });

  it('with Ken Burns the photo moves under a still caption; the slides keep theirs burned in', async () => {
    const ffmpeg = resolveFfmpeg().path;
    await createSession(backend, sources.slice(0, 2), { captions: ['golden hour over the hills', 'and then the valley'] });
    const result = await renderSlideGroup(deps().deps, {
      ...FAST,
      video: true,
      motion: 'kenburns',
      slideDuration: 1.5,
      transition: 'none',
      preset: '1:1',
    });
    const canvas = { width: 1080, height: 1080 };
    const slide = await sharp(result.slides[0] as string).raw().toBuffer();
    const [first, early, late] = (await Promise.all([0, 3, 33].map((n) => frameAt(ffmpeg, result.video as string, n, canvas)))) as [Buffer, Buffer, Buffer];
    // The photos have no white: white pixels are the caption's fill.
    const caption = whitePixels(slide, canvas);
    expect(caption.size).toBeGreaterThan(100);
    // The move starts from the slide's own framing, the caption where the slide has it, once.
    expect(meanDifference(first, slide)).toBeLessThan(4);
    expect(overlap(whitePixels(first, canvas), caption)).toBeGreaterThan(0.9);
    // A second later the photo has moved, the caption has not.
    expect(meanDifference(early, late)).toBeGreaterThan(2);
    expect(overlap(whitePixels(early, canvas), whitePixels(late, canvas))).toBeGreaterThan(0.95);
  });

  it('--max-clip-duration cuts a clip in the video (it was fixed at 10 s)', async () => {
    const ffmpeg = resolveFfmpeg().path;
    const clip = await addSource(backend, await stripedClip(ffmpeg, photosDir, { seconds: 2, tone: false }), 'video');
    await createSession(backend, [clip], {});
    const result = await renderSlideGroup(deps().deps, { ...FAST, video: true, transition: 'none', preset: '1:1', maxClipDuration: 1 });
    expect((await streamsOf(result.video as string)).duration).toBeCloseTo(1, 0);
  });

  it('the manifest names --audio and --font by file name and sha256, not by local path', async () => {
    const ffmpeg = resolveFfmpeg().path;
    await createSession(backend, sources.slice(0, 1), { captions: ['brand font'] });
    const audio = await tone(ffmpeg, photosDir, 1, 'song.m4a');
    const font = join(photosDir, 'Brand.woff2');
    copyFileSync(createRequire(import.meta.url).resolve('@fontsource/tiktok-sans/files/tiktok-sans-latin-600-normal.woff2'), font);
    const result = await renderSlideGroup(deps().deps, { ...FAST, video: true, slideDuration: 1, preset: '1:1', audio, font });
    const text = readFileSync(result.manifest, 'utf8');
    expect(text).not.toContain(photosDir);
    const settings = (JSON.parse(text) as Manifest).settings as { font: unknown; video: { audio: unknown } };
    const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(settings.font).toEqual({ name: 'Brand.woff2', sha256: sha(font) });
    expect(settings.video.audio).toEqual({ name: 'song.m4a', sha256: sha(audio) });
  });

  it('--no-upload keeps the group local: its row names the local folder and no item points at it', async () => {
    const session = await createSession(backend, sources);
    const result = await renderSlideGroup(deps().deps, { ...FAST, upload: false });
    expect(result.exports).toBeNull();
    expect(await exportKeys(session)).toEqual([]);
    const [group] = await backend.rows.select('slide_groups', { where: { session_id: session.id } });
    expect(group).toMatchObject({ status: 'done', folder: result.folder, slide_count: 3, video_path: null });
    const items = await backend.rows.select('session_media_items', { where: { session_id: session.id } });
    expect(items.every((i) => i.processed_file_path === null)).toBe(true);
    expect(await sessionRow(session.id)).toMatchObject({ created_per_day: 1, exported_video_path: null });
  });

  it('a missing audio file is refused, naming the setting, before anything is claimed', async () => {
    const session = await createSession(backend, sources);
    const error = await renderSlideGroup(deps().deps, { ...FAST, video: true, audio: join(photosDir, 'nope.mp3') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ field: 'audio', value: join(photosDir, 'nope.mp3'), problem: 'no such file' });
    expect(error).toBeInstanceOf(InvalidSetting);
    expect(await backend.rows.select('slide_groups', { where: { session_id: session.id } })).toEqual([]);
    expect((await sessionRow(session.id)).created_per_day).toBe(0);
  });

  it('a bad caption colour or font file is refused before anything is claimed', async () => {
    const session = await createSession(backend, sources);
    for (const bad of [{ textColor: 'blurple' }, { boxColor: '#12345' }, { font: join(photosDir, 'photo-1.jpg') }]) {
      const error = await renderSlideGroup(deps().deps, { ...FAST, ...bad }).catch((e: unknown) => e);
      expect(error, JSON.stringify(bad)).toBeInstanceOf(InvalidSetting);
      expect((error as InvalidSetting).field).toBe(Object.keys(bad)[0]);
    }
    expect(await backend.rows.select('slide_groups', { where: { session_id: session.id } })).toEqual([]);
    expect((await sessionRow(session.id)).created_per_day).toBe(0);
  });

  it('caption colours reach the slides: a yellow caption has yellow pixels, the default has none', async () => {
    await createSession(backend, sources, { captions: ['golden hour, day one', 'b', 'c'] });
    const yellowish = async (file: string) => {
      const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) {
        if (data[i]! > 200 && data[i + 1]! > 180 && data[i + 2]! < 80) n++;
      }
      return n;
    };
    const plain = await renderSlideGroup(deps().deps, FAST);
    const yellow = await renderSlideGroup(deps().deps, { ...FAST, textColor: 'yellow', force: true });
    expect(await yellowish(plain.slides[0]!)).toBeLessThan(50);
    expect(await yellowish(yellow.slides[0]!)).toBeGreaterThan(500);
  });

  it('align and caption size reach the slides and the manifest; a caption size out of range is refused before anything is claimed', async () => {
    const session = await createSession(backend, sources, { captions: ['golden hour, day one', 'b', 'c'] });
    const tooBig = await renderSlideGroup(deps().deps, { ...FAST, captionSize: 500 }).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(InvalidSetting);
    expect((tooBig as InvalidSetting).field).toBe('captionSize');
    expect(await backend.rows.select('slide_groups', { where: { session_id: session.id } })).toEqual([]);
    const plain = await renderSlideGroup(deps().deps, FAST);
    const looked = await renderSlideGroup(deps().deps, { ...FAST, style: 'translucent', align: 'right', captionSize: 'l', force: true });
    const settingsOf = (r: { manifest: string }) => (JSON.parse(readFileSync(r.manifest, 'utf8')) as Manifest).settings;
    expect(settingsOf(plain)).toMatchObject({ style: 'outline', align: 'center', captionSize: 'm' });
    expect(settingsOf(looked)).toMatchObject({ style: 'translucent', align: 'right', captionSize: 'l' });
    const leftDiffers = async (a: string, b: string) => {
      const [x, y] = await Promise.all([a, b].map((f) => sharp(f).extract({ left: 0, top: 0, width: 400, height: 1920 }).raw().toBuffer()));
      let n = 0;
      for (let i = 0; i < x!.length; i++) if (Math.abs(x![i]! - y![i]!) > 40) n++;
      return n;
    };
    // Centred, the caption reaches into the left of the slide; right-aligned, it leaves it to the photo.
    expect(await leftDiffers(plain.slides[0]!, looked.slides[0]!)).toBeGreaterThan(1000);
  });

  it('--session takes an id prefix, as every session command does', async () => {
    const session = await createSession(backend, sources.slice(0, 1));
    const result = await renderSlideGroup(deps().deps, { ...FAST, sessionId: session.id.slice(0, 8) });
    expect(result.sessionId).toBe(session.id);
    const unknown = await renderSlideGroup(deps().deps, { ...FAST, sessionId: 'ffffffff-nope' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UsageError);
  });

  it('refuses when there is no active session, naming slides session new', async () => {
    const error = await renderSlideGroup(deps().deps, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toBe('run slides session new');
  });

  it('downloads each source once into the cache and reuses it while its hash matches', async () => {
    await createSession(backend, sources, { maxPerDay: null });
    const downloads: string[] = [];
    const counting: ObjectStore = {
      ...backend.storage,
      download: async (bucket, key, to) => {
        downloads.push(key);
        await backend.storage.download(bucket, key, to);
      },
    };
    const { home } = deps();
    await renderSlideGroup(deps({ storage: counting, home }).deps, FAST);
    const cached = readdirSync(join(home, 'cache', 'sources'));
    expect(cached.sort()).toEqual(sources.map((s) => `${s.sha256}.jpg`).sort());
    writeFileSync(join(home, 'cache', 'sources', cached[0] as string), 'not the photo');
    await renderSlideGroup(deps({ storage: counting, home, now: '2025-06-10T11:00:00.000Z' }).deps, FAST);
    expect(downloads).toHaveLength(4);
  });
});

/** Every other pixel's index where the RGB frame is white. */
function whitePixels(frame: Buffer, canvas: { width: number; height: number }): Set<number> {
  const white = new Set<number>();
  for (let y = 0; y < canvas.height; y += 2) {
    for (let x = 0; x < canvas.width; x += 2) if (near(pixel(frame, canvas, x, y), [255, 255, 255], 30)) white.add(y * canvas.width + x);
  }
  return white;
}

/** Shared over all (intersection over union): 1 when the two sets are the same. */
function overlap(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const shared = [...a].filter((i) => b.has(i)).length;
  return shared / (a.size + b.size - shared);
}

/** Mean absolute difference of two same-sized raw frames, per byte. */
function meanDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

describe('renderSlideGroup failures', () => {
  async function expectNothingCounted(session: MediaSession, failure: GroupFailed, reason: RegExp) {
    expect(await sessionRow(session.id)).toMatchObject({
      created_per_day: session.created_per_day,
      groups_created: 0,
      next_position: 0,
      exported_video_path: null,
    });
    const [group] = await backend.rows.select('slide_groups', { where: { id: failure.groupId } });
    expect(group?.status).toBe('failed');
    expect(group?.error).toMatch(reason);
    expect(failure.message).toContain('nothing was counted for today');
    expect(failure.message).toContain(failure.folder);
    expect(existsSync(failure.folder)).toBe(true);
    expect(await exportKeys(session)).toEqual([]);
    const items = await backend.rows.select('session_media_items', { where: { session_id: session.id } });
    expect(items.every((i) => i.processed_file_path === null)).toBe(true);
  }

  it('a source missing from storage fails the group, and a re-run after re-uploading starts clean', async () => {
    const session = await createSession(backend, sources);
    await backend.storage.remove('Sources', [sources[1]?.file_path as string]);
    const failure = await failureOf(renderSlideGroup(deps().deps, FAST));
    expect(failure.stage).toBe('fetch');
    expect(failure.message).toContain(`could not fetch photo-2.jpg (Sources/${sources[1]?.file_path})`);
    await expectNothingCounted(session, failure, /^fetching the sources: could not fetch photo-2\.jpg/);

    await backend.storage.upload('Sources', sources[1]?.file_path as string, { path: join(photosDir, 'photo-2.jpg') }, { contentType: 'image/jpeg' });
    const result = await renderSlideGroup(deps().deps, FAST);
    expect(result.folder).not.toBe(failure.folder);
    // A number names one group: the failed one keeps 1, the retry takes the same items as 2.
    expect(result.groupNumber).toBe(2);
    expect(await sessionRow(session.id)).toMatchObject({ created_per_day: 1, groups_created: 1 });
  });

  it('ffmpeg failing fails the group with the end of its log', async () => {
    const session = await createSession(backend, sources);
    const bin = mkdtempSync(join(tmpdir(), 'slides-bad-ffmpeg-'));
    const ffmpegPath = join(bin, 'ffmpeg');
    const real = resolveFfmpeg().path;
    // Answers the capability questions like the real one, then fails the render.
    writeFileSync(ffmpegPath, `#!/bin/sh\ncase "$2" in -version|-filters|-encoders) exec "${real}" "$@";; esac\necho "Conversion failed: disk on fire" >&2\nexit 1\n`);
    chmodSync(ffmpegPath, 0o755);
    const failure = await failureOf(renderSlideGroup(deps().deps, { ...FAST, video: true, ffmpegPath, slideDuration: 1 }));
    expect(failure.stage).toBe('video');
    expect(failure.message).toMatch(/ffmpeg failed \(exit 1\): Conversion failed: disk on fire/);
    await expectNothingCounted(session, failure, /^rendering the video: ffmpeg failed/);
    expect(readdirSync(failure.folder).sort()).toEqual(['slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg']);
  });

  it('pushes the slides side by side, and the manifest only once every other file is in', async () => {
    await createSession(backend, sources);
    const events: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const recording: ObjectStore = {
      ...backend.storage,
      upload: async (bucket, key, body, options) => {
        if (bucket !== 'Exports') return backend.storage.upload(bucket, key, body, options);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        events.push(`start ${basename(key)}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        await backend.storage.upload(bucket, key, body, options);
        inFlight -= 1;
        events.push(`end ${basename(key)}`);
      },
      uploadMany: (bucket, uploads, options) => uploadEach(recording.upload, bucket, uploads, options),
    };
    const result = await renderSlideGroup(deps({ storage: recording }).deps, FAST);

    expect(maxInFlight).toBeGreaterThan(1);
    const others = result.slides.length;
    expect(events.slice(0, 2 * others).filter((e) => e.startsWith('end '))).toHaveLength(others);
    expect(events.slice(2 * others)).toEqual(['start manifest.json', 'end manifest.json']);
  });

  it('an upload failing half-way fails the group and removes what was pushed', async () => {
    const session = await createSession(backend, sources);
    let uploads = 0;
    const flaky: ObjectStore = {
      ...backend.storage,
      upload: async (bucket, key, body, options) => {
        if (bucket === 'Exports' && ++uploads === 3) throw new Error('connection reset by peer');
        await backend.storage.upload(bucket, key, body, options);
      },
      uploadMany: (bucket, uploads, options) => uploadEach(flaky.upload, bucket, uploads, options),
    };
    const failure = await failureOf(renderSlideGroup(deps({ storage: flaky }).deps, FAST));
    expect(failure.stage).toBe('upload');
    expect(failure.message).toContain('uploading to Exports: connection reset by peer');
    await expectNothingCounted(session, failure, /^uploading to Exports: connection reset by peer/);
    expect(readdirSync(failure.folder)).toContain('manifest.json');
  });

  it('a render killed mid-way is marked failed by the next one, which counts only itself', async () => {
    const session = await createSession(backend, sources);
    await claimDaySlot(backend.rows, session.id, { now: new Date(NOON), timeZone: ZONE, force: false });
    const { deps: d, output } = deps({ now: '2025-06-10T10:05:00.000Z' });
    const result = await renderSlideGroup(d, FAST);
    expect(result.recoveredCrashes).toBe(1);
    expect(output.stderr).toContain('never finished');
    const groups = await backend.rows.select('slide_groups', { where: { session_id: session.id }, order: [{ column: 'created_at' }] });
    expect(groups.map((g) => [g.status, g.error?.slice(0, 11) ?? null])).toEqual([
      ['failed', 'interrupted'],
      ['done', null],
    ]);
    expect((await sessionRow(session.id)).created_per_day).toBe(1);
  });

  it('under run --due the claim is the caller\'s: a failed group gives the slot back once, a good one counts once', async () => {
    const session = await createSession(backend, sources);
    await backend.storage.remove('Sources', [sources[0]?.file_path as string]);
    const { ctx } = testContext({ now: NOON, backend, settings: { timezone: ZONE } });
    const d = { backend, clock: ctx.clock, paths: ctx.paths, timeZone: ZONE };
    const render = (claimed: Claim) => renderSlideGroup(d, { ...FAST, claimed });
    await expect(runDue(runDueDeps(ctx), { render })).rejects.toBeInstanceOf(GroupFailed);
    expect((await sessionRow(session.id)).created_per_day).toBe(0);

    await backend.storage.upload('Sources', sources[0]?.file_path as string, { path: join(photosDir, 'photo-1.jpg') }, { contentType: 'image/jpeg' });
    const later = testContext({ now: '2025-06-10T10:30:00.000Z', backend, settings: { timezone: ZONE } }).ctx;
    const outcome = await runDue(runDueDeps(later), { render: (claimed) => renderSlideGroup({ ...d, clock: later.clock }, { ...FAST, claimed }) });
    expect(outcome.outcome).toBe('rendered');
    expect(await sessionRow(session.id)).toMatchObject({ created_per_day: 1, groups_created: 1 });
  });
});
