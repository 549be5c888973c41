/**
 * renderVideo: check the inputs, plan the graph, run ffmpeg, report progress. A video of more
 * items than a part holds is drawn part by part and joined (parts.ts), so ffmpeg's memory stays
 * that of a short video however long the group.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidSetting, UsageError } from '../../errors.js';
import { probeMedia } from '../probe.js';
import { timelineDuration, type Timeline } from '../timeline.js';
import { ffmpegArgs, joinArgs, partArgs } from './args.js';
import { ffmpegCapabilities, resolveFfmpeg, type FfmpegCapabilities } from './binaries.js';
import { serializeGraph, type Chain } from './graph.js';
import { splitTimeline, type VideoPart } from './parts.js';
import { planPart, planRender, planSoundtrack } from './plan.js';
import { progressReader } from './progress.js';
import { runFfmpeg } from './run.js';

export interface RenderVideoOptions {
  /** Default: FFMPEG_PATH, PATH, then the npm-shipped build. */
  ffmpegPath?: string;
  /** 0..1, never decreasing; 1 once the file is complete. */
  onProgress?: (fraction: number) => void;
  /** Where ffmpeg's command line and stderr go. */
  logFile: string;
  signal?: AbortSignal;
  /** Stills one ffmpeg draws at most, a clip counting by its size (clipCost); default ITEMS_PER_PART. */
  itemsPerPart?: number;
}

/**
 * Each still a graph holds costs ffmpeg ~19 MB at 1080x1920 over a ~300 MB encoder; 6 keep a part
 * under ~450 MB (bench/render.bench.js, bench/videomem.bench.js), and the join is a copy of the
 * picture.
 */
export const ITEMS_PER_PART = 6;

export interface RenderVideoResult {
  durationSeconds: number;
  warnings: string[];
}

export async function renderVideo(timeline: Timeline, outPath: string, options: RenderVideoOptions): Promise<RenderVideoResult> {
  const ffmpegPath = options.ffmpegPath ?? resolveFfmpeg().path;
  const [capabilities] = await Promise.all([ffmpegCapabilities(ffmpegPath), checkInputs(timeline)]);
  if (!capabilities.hasLibx264) {
    throw new UsageError(`${ffmpegPath} (ffmpeg ${capabilities.version}) has no libx264 encoder`, {
      hint: 'set FFMPEG_PATH to an ffmpeg built with libx264',
    });
  }
  options.signal?.throwIfAborted();

  const durationSeconds = timelineDuration(timeline);
  const itemsPerPart = options.itemsPerPart ?? ITEMS_PER_PART;
  const work = await mkdtemp(join(tmpdir(), 'slides-ffmpeg-'));
  let warnings: string[];
  try {
    await Promise.all([mkdir(dirname(outPath), { recursive: true }), mkdir(dirname(options.logFile), { recursive: true })]);
    const run = runner(ffmpegPath, work, durationSeconds, options);
    const parts = splitTimeline(timeline, itemsPerPart);
    warnings =
      parts.length === 1
        ? await renderWhole(timeline, outPath, capabilities, run)
        : await renderInParts(timeline, outPath, capabilities, parts, work, run);
  } catch (error) {
    await rm(outPath, { force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { durationSeconds, warnings };
}

/**
 * Runs one ffmpeg over a graph. Progress: `before` seconds of the video were done by earlier
 * runs; this one writes `duration` seconds and counts for `share` of them.
 */
type Run = (
  graph: readonly Chain[],
  args: (filterScript: string) => string[],
  progress: { before: number; duration: number; share: number },
) => Promise<void>;

function runner(ffmpegPath: string, work: string, total: number, options: RenderVideoOptions): Run {
  let runs = 0;
  let reported = -1;
  const onProgress = options.onProgress;
  return async (graph, args, progress) => {
    const filterScript = join(work, `graph-${++runs}.txt`);
    await writeFile(filterScript, serializeGraph(graph));
    const report = (fraction: number) => {
      const overall = Math.min(1, (progress.before + fraction * progress.share) / total);
      if (overall > reported) onProgress?.((reported = overall));
    };
    await runFfmpeg(ffmpegPath, args(filterScript), {
      logFile: options.logFile,
      appendLog: runs > 1,
      ...(onProgress === undefined ? {} : { onStdout: progressReader(progress.duration, report) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  };
}

async function renderWhole(timeline: Timeline, outPath: string, capabilities: FfmpegCapabilities, run: Run): Promise<string[]> {
  const plan = planRender(timeline, capabilities);
  const duration = timelineDuration(timeline);
  await run(plan.graph, (filterScript) => ffmpegArgs(plan, { filterScript, output: outPath }), { before: 0, duration, share: duration });
  return plan.warnings;
}

/** The parts one after another, then one more run: the parts copied under the soundtrack. */
async function renderInParts(
  timeline: Timeline,
  outPath: string,
  capabilities: FfmpegCapabilities,
  parts: readonly VideoPart[],
  work: string,
  run: Run,
): Promise<string[]> {
  const total = timelineDuration(timeline);
  const files: string[] = [];
  let warnings: string[] = [];
  let before = 0;
  for (const part of parts) {
    const plan = planPart(part, capabilities);
    const file = join(work, `part-${files.length + 1}.mp4`);
    const duration = (part.to - part.from) / timeline.fps;
    // The join only copies the picture: it gets the last 1% of the progress.
    const share = duration * 0.99;
    await run(plan.graph, (filterScript) => partArgs(plan, { filterScript, output: file }), { before, duration, share });
    files.push(file);
    warnings = [...new Set([...warnings, ...plan.warnings])];
    before += share;
  }
  const list = join(work, 'parts.txt');
  await writeFile(list, files.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''));
  const soundtrack = planSoundtrack(timeline, 1);
  await run(soundtrack.graph, (filterScript) => joinArgs(list, soundtrack, { filterScript, output: outPath }), {
    before,
    duration: total,
    share: total - before,
  });
  return warnings;
}

const AUDIO_FILES = 'an audio file (mp3, m4a, wav…)';

/** Fails before any encoding: every file exists, and the background audio really is audio. */
async function checkInputs(timeline: Timeline): Promise<void> {
  const files = timeline.items.flatMap((item) =>
    item.captionPng === undefined ? [item.path] : [item.path, item.captionPng],
  );
  await Promise.all(
    files.map(async (file) => {
      try {
        await access(file);
      } catch {
        throw new UsageError(`${file}: file not found`);
      }
    }),
  );
  if (timeline.audio === undefined) return;
  const path = timeline.audio.path;
  let audio;
  try {
    audio = await probeMedia(path);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const problem = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message;
    throw new InvalidSetting('audio', path, problem, { pass: AUDIO_FILES, cause: error });
  }
  if (!audio.hasAudio || !(audio.durationSeconds !== undefined && audio.durationSeconds > 0)) {
    throw new InvalidSetting('audio', path, 'has no sound to play', { pass: AUDIO_FILES });
  }
  if (timeline.audio.startSeconds >= audio.durationSeconds) {
    throw new InvalidSetting('audioStart', timeline.audio.startSeconds, `is past the end of ${path}, which is ${audio.durationSeconds.toFixed(1)} s long`);
  }
}
