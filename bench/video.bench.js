// Encode time of a 10-slide 1080x1920 crossfade video through renderVideo, against the same video
// from a hand-written single ffmpeg command (the limit: what ffmpeg alone costs), and peak RSS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegArgs } from '../dist/media/ffmpeg/args.js';
import { ffmpegCapabilities, resolveFfmpeg } from '../dist/media/ffmpeg/binaries.js';
import { serializeGraph } from '../dist/media/ffmpeg/graph.js';
import { planRender } from '../dist/media/ffmpeg/plan.js';
import { renderVideo } from '../dist/media/ffmpeg/render.js';
import { buildTimeline, timelineDuration } from '../dist/media/timeline.js';
import { exec, watchChildren } from './lib.js';

const SLIDES = 10;
const CANVAS = { width: 1080, height: 1920 };
const HOLD = 3;
const FADE = 0.5;
const RUNS = 2;

export async function bench() {
  const ffmpeg = resolveFfmpeg().path;
  const capabilities = await ffmpegCapabilities(ffmpeg);
  const { hasXfade, version } = capabilities;
  const dir = await mkdtemp(join(tmpdir(), 'slides-bench-video-'));
  try {
    const slides = [];
    for (let i = 0; i < SLIDES; i++) slides.push(await slide(ffmpeg, dir, i));
    const timeline = buildTimeline(
      slides.map((path) => ({ kind: 'image', path })),
      { canvas: CANVAS, slideDuration: HOLD, transitionDuration: FADE },
    );
    const ours = { ms: Infinity, rss: 0 };
    const hand = { ms: Infinity, rss: 0 };
    const bare = { ms: Infinity, rss: 0 };
    // The same graph run by ffmpeg alone: what renderVideo adds on top (checks, files, progress).
    const plan = planRender(timeline, capabilities);
    const script = join(dir, 'graph.txt');
    await writeFile(script, serializeGraph(plan.graph));
    const bareArgs = ffmpegArgs(plan, { filterScript: script, output: join(dir, 'bare.mp4') }).filter((a) => a !== '-progress' && a !== 'pipe:1');
    for (let run = 0; run < RUNS; run++) {
      await measure(bare, () => exec(ffmpeg, bareArgs));
      await measure(ours, () =>
        renderVideo(timeline, join(dir, 'ours.mp4'), { ffmpegPath: ffmpeg, logFile: join(dir, 'ours.log') }),
      );
      await measure(hand, () => exec(ffmpeg, handWritten(slides, join(dir, 'hand.mp4'), hasXfade)));
    }
    const seconds = timelineDuration(timeline);
    const limit = hasXfade ? 'xfade chain' : 'fade+overlay chain';
    return [
      { metric: `encode ${SLIDES} slides ${CANVAS.width}x${CANVAS.height}, ${seconds}s video (ffmpeg ${version})`, value: ours.ms, unit: 'ms', baseline: hand.ms, ratio: ours.ms / hand.ms, goal: 1.1 },
      { metric: `hand-written single command (${limit})`, value: hand.ms, unit: 'ms' },
      { metric: 'same graph, ffmpeg alone (renderVideo overhead)', value: bare.ms, unit: 'ms', ratio: ours.ms / bare.ms },
      { metric: 'encode speed vs real time', value: (seconds * 1000) / ours.ms, unit: 'x' },
      { metric: 'peak RSS of ffmpeg, renderVideo', value: ours.rss / 1024, unit: 'MB', baseline: hand.rss / 1024, ratio: ours.rss / hand.rss },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A distinct, photo-like busy picture per slide, so the encoder has real work. */
async function slide(ffmpeg, dir, i) {
  const path = join(dir, `slide-${String(i + 1).padStart(2, '0')}.jpg`);
  await exec(ffmpeg, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${CANVAS.width}x${CANVAS.height}:r=1,hue=h=${i * 36}`,
    '-frames:v', '1', '-q:v', '3', path,
  ]);
  return path;
}

/** What someone fluent in ffmpeg would type for the same video, with the same encoder settings. */
function handWritten(slides, out, hasXfade) {
  const each = HOLD;
  const inputs = slides.flatMap((p) => ['-loop', '1', '-framerate', '30', '-t', String(each), '-i', p]);
  const n = slides.length;
  const prep = slides.map((_, i) => `[${i}:v]format=yuv420p,setsar=1[s${i}]`);
  let graph;
  let last;
  if (hasXfade) {
    const steps = slides.slice(1).map((_, k) => {
      const i = k + 1;
      const from = i === 1 ? '[s0]' : `[x${i - 1}]`;
      return `${from}[s${i}]xfade=transition=fade:duration=${FADE}:offset=${i * (each - FADE)}[x${i}]`;
    });
    graph = [...prep, ...steps];
    last = `x${n - 1}`;
  } else {
    const fades = slides.slice(1).map((_, k) => {
      const i = k + 1;
      return `[s${i}]format=yuva420p,fade=t=in:st=0:d=${FADE}:alpha=1,setpts=PTS-STARTPTS+${i * (each - FADE)}/TB[f${i}]`;
    });
    const overlays = slides.slice(1).map((_, k) => {
      const i = k + 1;
      return `${i === 1 ? '[s0]' : `[o${i - 1}]`}[f${i}]overlay[o${i}]`;
    });
    graph = [...prep, ...fades, ...overlays];
    last = `o${n - 1}`;
  }
  const total = n * each - (n - 1) * FADE;
  return [
    '-hide_banner', '-v', 'error', '-y', ...inputs,
    '-f', 'lavfi', '-t', String(total), '-i', 'anullsrc=r=48000:cl=stereo',
    '-filter_complex', graph.join(';'), '-map', `[${last}]`, '-map', `${n}:a`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-r', '30',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', '-t', String(total), out,
  ];
}

/** Best wall time, and the largest peak RSS of any ffmpeg child seen while `task` runs. */
async function measure(into, task) {
  const watcher = watchChildren();
  const started = performance.now();
  await task();
  into.ms = Math.min(into.ms, performance.now() - started);
  into.rss = Math.max(into.rss, watcher.stop());
}



