import { mkdir, writeFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { renderCaptionOverlay } from '../../media/caption/overlay.js';
import { writeClipStill } from '../../media/clip.js';
import { resolveFfmpeg } from '../../media/ffmpeg/binaries.js';
import { renderVideo } from '../../media/ffmpeg/render.js';
import { renderSlide, renderSlides } from '../../media/slide.js';
import type { Warning } from '../../warning.js';
import { inStage, type OnRenderEvent } from './events.js';
import type { GroupFiles } from './group.js';
import { describeOutputs, writeManifest } from './manifest.js';
import type { CaptionOverlay, GroupSpec } from './spec.js';

/** Sharp jobs at once, each holding a few full-canvas images in memory. */
const IMAGE_CONCURRENCY = 2;

/** Renders a GroupSpec: slides, then the video, then manifest.json (written last: it marks the folder complete). */
export async function executeGroupSpec(spec: GroupSpec, report: OnRenderEvent): Promise<GroupFiles> {
  await mkdir(spec.folder, { recursive: true });
  const ffmpegPath = () => spec.ffmpegPath ?? resolveFfmpeg().path;

  const slides = await inStage(report, 'slides', spec.slideSpecs.length, async () => {
    await Promise.all(spec.stills.map((still) => writeClipStill(ffmpegPath(), still)));
    return renderSlides(spec.slideSpecs, spec.folder, { concurrency: IMAGE_CONCURRENCY });
  });
  const warnings: Warning[] = [...spec.warnings.map((text) => ({ text })), ...slides.warnings];

  const { video } = spec;
  const videoFile = spec.files.video;
  if (video && videoFile !== null) {
    const result = await inStage(
      report,
      'video',
      1,
      async () => {
        const limit = pLimit(IMAGE_CONCURRENCY);
        await Promise.all([
          ...video.overlays.map((overlay) => limit(() => writeOverlay(overlay))),
          ...video.bases.map((base) => limit(() => renderSlide(base.spec, base.out))),
        ]);
        return renderVideo(video.timeline, videoFile, {
          ...(spec.ffmpegPath === undefined ? {} : { ffmpegPath: spec.ffmpegPath }),
          logFile: video.logFile,
          onProgress: (fraction) => report({ type: 'frame', fraction }),
        });
      },
      (r) => ({ seconds: r.durationSeconds }),
    );
    warnings.push(...result.warnings.map((text) => ({ text })));
  }

  const manifest = await inStage(report, 'manifest', 1, async () => {
    const outputs = await describeOutputs([...spec.files.slides, ...(videoFile === null ? [] : [videoFile])]);
    return writeManifest(spec.folder, { ...spec.manifest, outputs, warnings });
  });
  return { slides: spec.files.slides, video: videoFile, manifest, warnings };
}

async function writeOverlay(overlay: CaptionOverlay): Promise<void> {
  const { png } = await renderCaptionOverlay(overlay.caption, overlay.look);
  await writeFile(overlay.out, png);
}
