/** renderVideo: check the inputs, plan the graph, run one ffmpeg, report progress. */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidSetting, UsageError } from '../../errors.js';
import { probeMedia } from '../probe.js';
import { timelineDuration, type Timeline } from '../timeline.js';
import { ffmpegArgs } from './args.js';
import { ffmpegCapabilities, resolveFfmpeg } from './binaries.js';
import { serializeGraph } from './graph.js';
import { planRender } from './plan.js';
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
}

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

  const plan = planRender(timeline, capabilities);
  const durationSeconds = timelineDuration(timeline);
  const work = await mkdtemp(join(tmpdir(), 'slides-ffmpeg-'));
  try {
    const filterScript = join(work, 'graph.txt');
    await writeFile(filterScript, serializeGraph(plan.graph));
    await Promise.all([mkdir(dirname(outPath), { recursive: true }), mkdir(dirname(options.logFile), { recursive: true })]);
    const onProgress = options.onProgress;
    await runFfmpeg(ffmpegPath, ffmpegArgs(plan, { filterScript, output: outPath }), {
      logFile: options.logFile,
      ...(onProgress === undefined ? {} : { onStdout: progressReader(durationSeconds, onProgress) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    await rm(outPath, { force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { durationSeconds, warnings: plan.warnings };
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
