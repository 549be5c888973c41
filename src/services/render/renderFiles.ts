import { join } from 'node:path';
import pLimit from 'p-limit';
import type { IO } from '../../cli/io.js';
import type { Canvas, PresetName } from '../../media/canvas.js';
import type { CaptionPosition, CaptionStyle } from '../../media/caption/look.js';
import { resolveFfmpeg } from '../../media/ffmpeg/binaries.js';
import { renderVideo } from '../../media/ffmpeg/render.js';
import type { FitMode } from '../../media/fit.js';
import { renderSlide, renderSlides, type SlideSpec } from '../../media/slide.js';
import { buildTimeline, type MotionName, type TimelineInput } from '../../media/timeline.js';
import { pickCaption } from '../captions/pick.js';
import { prepareClip, writeCaptionOverlay, type ClipFacts } from './clips.js';
import type { RenderStage } from './failure.js';
import { describeOutputs, writeManifest, type ManifestSource } from './manifest.js';
import type { PlannedItem } from './plan.js';
import type { VideoSettings } from './renderSlideGroup.js';
import { stage } from './stage.js';

export interface GroupLook {
  preset: PresetName;
  style: CaptionStyle;
  fit: FitMode;
  position: CaptionPosition;
  textColor?: string;
  boxColor?: string;
  fontFile?: string;
}

export interface GroupFilesInput {
  /** The group's items in slide order, each with its fetched local copy. */
  items: Array<PlannedItem & { path: string }>;
  sessionId: string;
  groupNumber: number;
  createdAt: string;
  folder: string;
  /** Scratch space for clip stills and caption overlays. */
  workDir: string;
  /** Where ffmpeg's logs go. */
  logDir: string;
  canvas: Canvas;
  look: GroupLook;
  /** Null: slides only. */
  video: VideoSettings | null;
}

export interface GroupFiles {
  slides: string[];
  video: string | null;
  manifest: string;
  warnings: string[];
}

/** Sharp jobs at once, each holding a few full-canvas images in memory. */
const IMAGE_CONCURRENCY = 2;

/** Slides, then the video, then manifest.json (written last: it marks the folder complete). */
export async function renderGroupFiles(
  input: GroupFilesInput,
  o: { io: IO; at: (stage: RenderStage) => void },
): Promise<GroupFiles> {
  const { io } = o;
  const captions = input.items.map((i) => pickCaption(i.item.generated_caption, input.groupNumber));
  const ffmpegPath = input.video?.ffmpegPath;

  o.at('slides');
  const { slides, clips, warnings } = await stage(
    io,
    `Rendering ${input.items.length} slides`,
    () => renderGroupSlides(input, captions, () => ffmpegPath ?? resolveFfmpeg().path),
    (r) => `Rendered ${r.slides.length} slides (${input.canvas.width}x${input.canvas.height} JPEG)`,
  );

  let video: string | null = null;
  if (input.video) {
    o.at('video');
    const settings = input.video;
    const out = join(input.folder, 'video.mp4');
    const result = await stage(
      io,
      'Rendering video 0%',
      async (p) => {
        const timeline = buildTimeline(await timelineInputs(input, captions, slides, clips, settings.motion ?? 'none'), {
          canvas: input.canvas,
          slideDuration: settings.slideDuration,
          transition: settings.transition,
          motion: settings.motion,
          audio: settings.audio,
        });
        return renderVideo(timeline, out, {
          ...(ffmpegPath === undefined ? {} : { ffmpegPath }),
          logFile: join(input.logDir, `${input.sessionId}-${input.groupNumber}-ffmpeg.log`),
          onProgress: (f) => p.update(`Rendering video ${Math.round(f * 100)}%`),
        });
      },
      (r) => `Rendered video.mp4 (${r.durationSeconds.toFixed(1)} s)`,
    );
    warnings.push(...result.warnings);
    video = out;
  }

  o.at('manifest');
  const outputs = await describeOutputs([...slides, ...(video ? [video] : [])]);
  const manifest = await writeManifest(input.folder, {
    session_id: input.sessionId,
    group_number: input.groupNumber,
    created_at: input.createdAt,
    settings: {
      ...input.look,
      canvas: input.canvas,
      video: input.video
        ? {
            slideDuration: input.video.slideDuration ?? 3,
            transition: input.video.transition ?? 'fade',
            motion: input.video.motion ?? 'none',
            audio: input.video.audio ?? null,
          }
        : false,
    },
    sources: input.items.map((i, k): ManifestSource => ({
      slide: outputs[k]?.file ?? '',
      position: i.item.position,
      media_type: i.source.file_type,
      source_file_id: i.source.id,
      source_path: i.source.file_path,
      sha256: i.source.sha256,
      original_name: i.source.original_name,
      caption: captions[k] ?? null,
    })),
    outputs,
    warnings,
  });
  return { slides, video, manifest, warnings };
}

async function renderGroupSlides(
  input: GroupFilesInput,
  captions: readonly (string | null)[],
  ffmpeg: () => string,
): Promise<{ slides: string[]; clips: Map<number, ClipFacts>; warnings: string[] }> {
  const clips = new Map<number, ClipFacts>();
  await Promise.all(
    input.items.map(async (i, k) => {
      if (i.source.file_type !== 'video') return;
      clips.set(k, await prepareClip(i.path, { ffmpegPath: ffmpeg(), workDir: input.workDir, name: `item-${k + 1}` }));
    }),
  );
  const specs = input.items.map((i, k) => slideSpec(input, clips.get(k)?.poster ?? i.path, captions[k]));
  const { files, warnings } = await renderSlides(specs, input.folder, { concurrency: IMAGE_CONCURRENCY });
  return { slides: files, clips, warnings };
}

function slideSpec(input: GroupFilesInput, source: string, caption: string | null | undefined): SlideSpec {
  return {
    source,
    canvas: input.canvas,
    fit: input.look.fit,
    style: input.look.style,
    position: input.look.position,
    textColor: input.look.textColor,
    boxColor: input.look.boxColor,
    fontFile: input.look.fontFile,
    ...(caption ? { caption } : {}),
  };
}

/**
 * Clips play themselves, their caption laid over them. Photos play as their finished slides,
 * unless a captioned one moves: its burned-in caption would move with it, so it plays without
 * (fitted as on its slide) and its caption is laid over the motion.
 */
async function timelineInputs(
  input: GroupFilesInput,
  captions: readonly (string | null)[],
  slides: readonly string[],
  clips: ReadonlyMap<number, ClipFacts>,
  motion: MotionName,
): Promise<TimelineInput[]> {
  const limit = pLimit(IMAGE_CONCURRENCY);
  const overlay = (caption: string, name: string) =>
    limit(async () => (await writeCaptionOverlay(caption, { ...input.look, canvas: input.canvas, workDir: input.workDir, name })).png);
  return Promise.all(
    input.items.map(async (i, k): Promise<TimelineInput> => {
      const name = `item-${k + 1}`;
      const caption = captions[k];
      const clip = clips.get(k);
      if (clip) {
        return {
          kind: 'video',
          path: i.path,
          durationSeconds: clip.durationSeconds,
          hasAudio: clip.hasAudio,
          ...(caption ? { captionPng: await overlay(caption, name) } : {}),
        };
      }
      if (!caption || motion === 'none') return { kind: 'image', path: slides[k] as string };
      const base = join(input.workDir, `${name}-base.jpg`);
      const [captionPng] = await Promise.all([
        overlay(caption, name),
        limit(() => renderSlide(slideSpec(input, i.path, null), base)),
      ]);
      return { kind: 'image', path: base, captionPng };
    }),
  );
}
