import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { mediaInfoOf, probeMedia } from '../../src/media/probe.js';
import { ffmpegBinaries, solidImage, stripedClip, tone } from './video-fixtures.js';

let dir: string;
const ffmpeg = ffmpegBinaries()[0]?.path as string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeMedia', () => {
  it('reads an image: kind and size, no duration', async () => {
    for (const name of ['photo.jpg', 'photo.png']) {
      const info = await probeMedia(await solidImage(dir, name, [10, 20, 30], { width: 60, height: 90 }));
      expect(info).toEqual({ kind: 'image', width: 60, height: 90, hasAudio: false, codec: name.endsWith('jpg') ? 'mjpeg' : 'png' });
    }
  });

  it('reads a clip: size, duration and whether it has sound', async () => {
    const withSound = await probeMedia(await stripedClip(ffmpeg, dir, { seconds: 1.2, tone: true, width: 96, height: 64 }));
    expect(withSound).toMatchObject({ kind: 'video', width: 96, height: 64, hasAudio: true, codec: 'h264' });
    expect(withSound.durationSeconds).toBeCloseTo(1.2, 1);
    const silent = await probeMedia(await stripedClip(ffmpeg, dir, { seconds: 1, tone: false, width: 96, height: 64 }));
    expect(silent).toMatchObject({ kind: 'video', hasAudio: false });
  });

  it('reads an audio file', async () => {
    const info = await probeMedia(await tone(ffmpeg, dir, 0.5));
    expect(info).toMatchObject({ kind: 'audio', hasAudio: true, codec: 'aac' });
    expect(info.durationSeconds).toBeCloseTo(0.5, 1);
    expect(info).not.toHaveProperty('width');
  });

  it('names a missing file in a UsageError', async () => {
    const missing = join(dir, 'nope.mp4');
    await expect(probeMedia(missing)).rejects.toThrow(UsageError);
    await expect(probeMedia(missing)).rejects.toThrow(`${missing}: file not found`);
  });

  it('names a corrupt file in a UsageError', async () => {
    const corrupt = join(dir, 'corrupt.mp4');
    await writeFile(corrupt, Buffer.alloc(4096, 7));
    const error = await probeMedia(corrupt).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(corrupt);
    expect((error as Error).message).toContain('not a readable image, video or audio file');
  });
});

describe('mediaInfoOf', () => {
  const video = { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080 };
  it('swaps the sides of a clip recorded rotated by 90°', () => {
    const rotated = { ...video, side_data_list: [{ rotation: -90 }] };
    expect(mediaInfoOf({ streams: [rotated], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 3 } })).toMatchObject({
      kind: 'video', width: 1080, height: 1920, durationSeconds: 3,
    });
    const tagged = { ...video, tags: { rotate: 270 } };
    expect(mediaInfoOf({ streams: [tagged], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2' } })).toMatchObject({ width: 1080 });
  });

  it('treats cover art in a music file as audio, and nothing at all as unreadable', () => {
    const cover = { codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } };
    const sound = { codec_type: 'audio', codec_name: 'mp3' };
    expect(mediaInfoOf({ streams: [cover, sound], format: { format_name: 'mp3', duration: 180 } })).toEqual({
      kind: 'audio', durationSeconds: 180, hasAudio: true, codec: 'mp3',
    });
    expect(mediaInfoOf({ streams: [], format: { format_name: 'mp3' } })).toBeUndefined();
  });
});
