/**
 * A slide group as one value (editly-style): every slide's SlideSpec, the clip stills and caption
 * overlays the video needs, the Timeline, the output names and the manifest, all decided here by
 * pure code. `execute.ts` renders it.
 */
import { join } from 'node:path';
import type { BeatAnalysis } from '../../media/beats/analyse.js';
import { DEFAULT_HOLD_RANGE, planCuts, type CutPlan } from '../../media/beats/cuts.js';
import { holdsFor } from '../../media/beats/holds.js';
import { PRESETS, type Canvas } from '../../media/canvas.js';
import type { CaptionOptions } from '../../media/caption/caption.js';
import { stillSecond, type ClipFacts, type ClipStill } from '../../media/clip.js';
import { slideFileName, type SlideSpec } from '../../media/slide.js';
import { buildTimeline, FPS, type Timeline, type TimelineInput } from '../../media/timeline.js';
import { pickCaption } from '../captions/pick.js';
import type { GroupLook, VideoSettings } from './group.js';
import { MANIFEST_FILE, type Manifest, type ManifestAsset, type ManifestPost, type ManifestPublish, type ManifestSource } from './manifest.js';
import type { PlannedItem } from './plan.js';

export const VIDEO_FILE = 'video.mp4';

export interface SpecItem extends PlannedItem {
  /** The fetched local copy of the source. */
  path: string;
  /** Probed, for clips. */
  clip?: ClipFacts;
}

/** A file the render reads beside the sources (music, a font): used by path, recorded by name and hash. */
export interface AssetFile extends ManifestAsset {
  path: string;
}

export interface GroupSettings {
  look: GroupLook;
  /** Null: slides only. */
  video: Omit<VideoSettings, 'audio'> | null;
  audio: AssetFile | null;
  /** The song's beats from its offset on, when the video is cut on them. */
  beats: BeatAnalysis | null;
  font: AssetFile | null;
}

export interface GroupPlace {
  folder: string;
  /** Scratch space for clip stills, caption overlays and captionless photos. */
  workDir: string;
  /** Where ffmpeg's logs go. */
  logDir: string;
}

export interface GroupSpecInput {
  sessionId: string;
  /** The group's items in slide order. */
  items: readonly SpecItem[];
  settings: GroupSettings;
  claim: { groupNumber: number; createdAt: string };
  place: GroupPlace;
  /** Where each look setting came from (flag, session, config, default), for the manifest. */
  lookFrom?: Record<string, string>;
  /** The session's post text for this group; absent when it has none. */
  post?: ManifestPost | null;
  /** How `publish` sends the group, as the session says. */
  publish?: ManifestPublish | null;
}

/** A picture rendered into the scratch folder and used by the video only. */
export interface ScratchSlide {
  spec: SlideSpec;
  out: string;
}

export interface CaptionOverlay {
  caption: string;
  look: CaptionOptions;
  out: string;
}

export interface GroupSpec {
  folder: string;
  canvas: Canvas;
  /** Stills of the clips, made first: the clips' slides show them. */
  stills: ClipStill[];
  /** One per item, in order; written as `slides[k]` into the folder. */
  slideSpecs: SlideSpec[];
  video: {
    /** Captionless photos for moving slides, and the captions drawn over motion and clips. */
    bases: ScratchSlide[];
    overlays: CaptionOverlay[];
    timeline: Timeline;
    logFile: string;
  } | null;
  /** Absolute paths of the outputs, in the folder. */
  files: { slides: string[]; video: string | null; manifest: string };
  /** All of the manifest but what only the rendered files tell (their sizes and hashes, warnings). */
  manifest: Omit<Manifest, 'outputs' | 'warnings'>;
  /** What planning found (a song without a clear beat), before anything is rendered. */
  warnings: string[];
  /** Default: FFMPEG_PATH, PATH, then the npm-shipped build. */
  ffmpegPath?: string;
}

/** How a group's captions are drawn: its look on its canvas, with its font file when it has one. */
export function captionLook(l: GroupLook, fontFile: string | undefined): CaptionOptions {
  return {
    canvas: PRESETS[l.preset],
    style: l.style,
    position: l.position,
    ...(l.align === undefined ? {} : { align: l.align }),
    ...(l.captionSize === undefined ? {} : { captionSize: l.captionSize }),
    ...(l.textColor === undefined ? {} : { textColor: l.textColor }),
    ...(l.boxColor === undefined ? {} : { boxColor: l.boxColor }),
    ...(fontFile === undefined ? {} : { fontFile }),
  };
}

/** One slide of a group: the photo fitted as the look says, with its caption drawn when it has one. */
export function slideSpecOf(l: GroupLook, caption: CaptionOptions, source: string, text: string | null | undefined): SlideSpec {
  return { source, fit: l.fit, ...caption, ...(text ? { caption: text } : {}) };
}

export function buildGroupSpec(input: GroupSpecInput): GroupSpec {
  const { items, settings, place } = input;
  const canvas = PRESETS[settings.look.preset];
  const captions = items.map((i) => pickCaption(i.item.generated_caption, input.claim.groupNumber));
  const look = captionLook(settings.look, settings.font?.path);
  const slideSpec = (source: string, caption: string | null | undefined) => slideSpecOf(settings.look, look, source, caption);
  const scratch = (k: number, what: string) => join(place.workDir, `item-${k + 1}-${what}`);

  const stills = items.flatMap((i, k): ClipStill[] =>
    i.clip ? [{ clip: i.path, atSeconds: stillSecond(i.clip.durationSeconds), out: scratch(k, 'poster.png'), logFile: scratch(k, 'poster.log') }] : [],
  );
  const slideSpecs = items.map((i, k) => slideSpec(i.clip ? scratch(k, 'poster.png') : i.path, captions[k]));
  const slideNames = items.map((_, k) => slideFileName(k));
  const files = {
    slides: slideNames.map((name) => join(place.folder, name)),
    video: settings.video ? join(place.folder, VIDEO_FILE) : null,
    manifest: join(place.folder, MANIFEST_FILE),
  };

  let video: GroupSpec['video'] = null;
  let cuts: CutPlan | null = null;
  if (settings.video) {
    const v = settings.video;
    const transition = { kind: v.transition ?? 'fade', seconds: v.transitionDuration ?? 0.5 };
    cuts = settings.beats
      ? planCuts(settings.beats, { items: items.length, holdRange: v.holdRange ?? DEFAULT_HOLD_RANGE, evenHold: v.slideDuration ?? 3 })
      : null;
    const holds = cuts ? holdsFor(cuts, transition, FPS) : null;
    const motion = v.motion ?? 'none';
    const bases: ScratchSlide[] = [];
    const overlays: CaptionOverlay[] = [];
    const overlay = (caption: string, k: number) => {
      const out = scratch(k, 'caption.png');
      overlays.push({ caption, look, out });
      return out;
    };
    // Clips play themselves, their caption laid over them. Photos play as their finished slides,
    // unless a captioned one moves: its burned-in caption would move with it, so it plays without
    // (fitted as on its slide) and its caption is laid over the motion.
    const itemInput = (i: SpecItem, k: number): TimelineInput => {
      const caption = captions[k];
      if (i.clip) {
        return {
          kind: 'video',
          path: i.path,
          durationSeconds: i.clip.durationSeconds,
          hasAudio: i.clip.hasAudio,
          width: i.clip.width,
          height: i.clip.height,
          ...(caption ? { captionPng: overlay(caption, k) } : {}),
        };
      }
      if (!caption || motion === 'none') return { kind: 'image', path: files.slides[k] as string };
      const base = { spec: slideSpec(i.path, null), out: scratch(k, 'base.jpg') };
      bases.push(base);
      return { kind: 'image', path: base.out, captionPng: overlay(caption, k) };
    };
    // On the beat, every item lasts from the blend into it to the blend out of it, each centred on its cut.
    const inputs = items.map((i, k): TimelineInput => (holds ? { ...itemInput(i, k), duration: holds.durations[k] as number } : itemInput(i, k)));
    const timeline = buildTimeline(inputs, {
      canvas,
      slideDuration: v.slideDuration,
      transition: v.transition,
      transitionDuration: holds ? holds.transitionDuration : v.transitionDuration,
      motion: v.motion,
      maxClipDuration: v.maxClipDuration,
      audio: settings.audio?.path,
      audioStart: v.beatOffset,
    });
    video = {
      bases,
      overlays,
      timeline,
      logFile: join(place.logDir, `${input.sessionId}-${input.claim.groupNumber}-ffmpeg.log`),
    };
  }

  const manifest: GroupSpec['manifest'] = {
    session_id: input.sessionId,
    group_number: input.claim.groupNumber,
    created_at: input.claim.createdAt,
    settings: {
      ...settings.look,
      canvas,
      font: assetRef(settings.font),
      video: settings.video
        ? {
            slideDuration: settings.video.slideDuration ?? 3,
            transition: settings.video.transition ?? 'fade',
            motion: settings.video.motion ?? 'none',
            audio: assetRef(settings.audio),
            ...(settings.audio ? { audioStart: settings.video.beatOffset ?? 0 } : {}),
            beats: settings.beats && cuts ? beatsRecord(settings.beats, cuts, settings.video) : false,
          }
        : false,
      ...(input.lookFrom ? { from: input.lookFrom } : {}),
    },
    ...(input.post ? { post: input.post } : {}),
    ...(input.publish ? { publish: input.publish } : {}),
    sources: items.map((i, k): ManifestSource => ({
      slide: slideNames[k] as string,
      position: i.item.position,
      media_type: i.item.media_type,
      source_file_id: i.source.id,
      source_path: i.source.file_path,
      sha256: i.source.sha256,
      original_name: i.source.original_name,
      caption: captions[k] ?? null,
    })),
  };
  return {
    folder: place.folder,
    canvas,
    stills,
    slideSpecs,
    video,
    files,
    manifest,
    warnings: cuts?.warnings ?? [],
    ...(settings.video?.ffmpegPath === undefined ? {} : { ffmpegPath: settings.video.ffmpegPath }),
  };
}

/** Name and hash only: the manifest goes to Exports and must not carry local paths. */
function assetRef(asset: AssetFile | null): ManifestAsset | null {
  return asset ? { name: asset.name, sha256: asset.sha256 } : null;
}

const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** The tempo found and where the slides change, in seconds of the video. */
function beatsRecord(analysis: BeatAnalysis, cuts: CutPlan, v: NonNullable<GroupSettings['video']>): Record<string, unknown> {
  return {
    tempo: analysis.tempo === undefined ? null : Math.round(analysis.tempo * 10) / 10,
    onBeat: cuts.onBeat,
    ...(cuts.everyBeats === undefined ? {} : { everyBeats: cuts.everyBeats }),
    holdRange: v.holdRange ?? DEFAULT_HOLD_RANGE,
    cuts: cuts.cuts.map(ms),
    end: ms(cuts.end),
    ending: cuts.ending,
  };
}
