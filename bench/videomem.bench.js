// ffmpeg's peak RSS while renderVideo draws 10, 30 and 100 stills (1080x1920, 1 s each, the
// default crossfade), and how much it grows per slide from 10 to 100: a long group is drawn in
// parts of a few items (src/media/ffmpeg/parts.ts), so it should not grow at all. Then 8 clips
// of 4K, as a phone films them (sideways, each 2 s), whose decoders weigh far more than stills.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../dist/media/ffmpeg/binaries.js';
import { renderVideo } from '../dist/media/ffmpeg/render.js';
import { buildTimeline } from '../dist/media/timeline.js';
import { exec, watchChildren } from './lib.js';

const COUNTS = process.env.BENCH_QUICK ? [10, 30] : [10, 30, 100];
const CANVAS = { width: 1080, height: 1920 };
const CLIPS = 8;
const CLIP_SECONDS = 2;

export async function bench() {
  const ffmpeg = resolveFfmpeg().path;
  const dir = await mkdtemp(join(tmpdir(), 'slides-bench-videomem-'));
  try {
    const stills = [];
    for (let i = 0; i < Math.max(...COUNTS); i++) stills.push(await still(ffmpeg, dir, i));
    const peaks = [];
    for (const n of COUNTS) {
      const timeline = buildTimeline(stills.slice(0, n).map((path) => ({ kind: 'image', path })), { canvas: CANVAS, slideDuration: 1 });
      const watcher = watchChildren();
      await renderVideo(timeline, join(dir, `video-${n}.mp4`), { ffmpegPath: ffmpeg, logFile: join(dir, `video-${n}.log`) });
      peaks.push({ n, mb: watcher.stop() / 1024 });
    }
    const first = peaks[0];
    const last = peaks.at(-1);
    const clips = [];
    for (let i = 0; i < CLIPS; i++) clips.push(await clip(ffmpeg, dir, i));
    const timeline = buildTimeline(clips.map((path) => ({ kind: 'video', path, durationSeconds: CLIP_SECONDS, hasAudio: true, width: 2160, height: 3840 })), { canvas: CANVAS });
    const watcher = watchChildren();
    const started = performance.now();
    await renderVideo(timeline, join(dir, 'clips.mp4'), { ffmpegPath: ffmpeg, logFile: join(dir, 'clips.log') });
    const clipsMs = performance.now() - started;
    const clipsMb = watcher.stop() / 1024;
    return [
      ...peaks.map((p) => ({ metric: `ffmpeg peak RSS, ${p.n} slides`, value: p.mb, unit: 'MB', goal: '< 500 MB' })),
      { metric: `ffmpeg peak growth per slide, ${first.n} to ${last.n} slides`, value: (last.mb - first.mb) / (last.n - first.n), unit: 'MB', goal: '≤ 2 MB' },
      { metric: `ffmpeg peak RSS, ${CLIPS} 4K clips`, value: clipsMb, unit: 'MB', goal: '< 500 MB' },
      { metric: `video of ${CLIPS} 4K clips, wall time`, value: clipsMs / 1000, unit: 's' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A distinct busy picture per slide, so the encoder has real work. */
function still(ffmpeg, dir, i) {
  const path = join(dir, `still-${String(i).padStart(3, '0')}.jpg`);
  return exec(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${CANVAS.width}x${CANVAS.height}:r=1,hue=h=${i * 36}`, '-frames:v', '1', '-q:v', '3', path]).then(() => path);
}

/** A 4K clip with sound, stored sideways with a rotation as phones do. */
function clip(ffmpeg, dir, i) {
  const path = join(dir, `clip-${i}.mp4`);
  return exec(ffmpeg, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=3840x2160:r=30,hue=h=${i * 45}`, '-f', 'lavfi', '-i', `sine=frequency=${220 + i * 55}`,
    '-t', String(CLIP_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-metadata:s:v', 'rotate=90', path,
  ]).then(() => path);
}
