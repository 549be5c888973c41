import type { Clock } from '../../clock.js';
import type { Backend } from '../../db/backend.js';
import type { Paths } from '../../paths.js';
import type { HoldRange } from '../../media/beats/cuts.js';
import type { Warning } from '../../warning.js';
import type { PresetName } from '../../media/canvas.js';
import type { CaptionAlign, CaptionPosition, CaptionSize, CaptionStyle } from '../../media/caption/look.js';
import type { FitMode } from '../../media/fit.js';
import type { MotionName, TransitionName } from '../../media/timeline.js';
import type { Claim } from '../schedule/claim.js';
import type { OnRenderEvent } from './events.js';
import type { LookFlags, LookInput } from './look.js';

export interface RenderDeps {
  backend: Backend;
  clock: Clock;
  paths: Pick<Paths, 'data' | 'cache' | 'state'>;
  /** The creator's IANA time zone: the day `max_per_day` counts in. */
  timeZone: string;
  onProgress?: OnRenderEvent;
}

export interface VideoSettings {
  /** Seconds each photo holds (default 3). */
  slideDuration?: number;
  transition?: TransitionName;
  /** Seconds each transition takes (default 0.5). */
  transitionDuration?: number;
  motion?: MotionName;
  /** Clips are cut to this many seconds (default 10). */
  maxClipDuration?: number;
  /** Background music, looped or trimmed to the video. */
  audio?: string;
  /** Change slides on the beats of `audio` (default false). */
  beats?: boolean;
  /** Seconds each slide may hold when cut on the beat (default 1.5-4). */
  holdRange?: HoldRange;
  /** Seconds into `audio` where the video's sound starts, such as the song's hook (default 0). */
  beatOffset?: number;
  /** Default: FFMPEG_PATH, PATH, then the npm-shipped build. */
  ffmpegPath?: string;
}

export interface GroupLook {
  preset: PresetName;
  style: CaptionStyle;
  fit: FitMode;
  position: CaptionPosition;
  align?: CaptionAlign;
  captionSize?: CaptionSize;
  textColor?: string;
  boxColor?: string;
}

/**
 * A render's options. The look's fields given here are this render's own (its flags): they win
 * over the session's stored look, which wins over `lookDefaults` (the config), then the built-in
 * defaults (src/services/render/look.ts).
 */
export interface RenderOptions extends LookFlags {
  /** Default: the active session. */
  sessionId?: string;
  /** Where group folders go (default `<data>/groups`). */
  outDir?: string;
  video: boolean;
  upload: boolean;
  /** The profile's defaults for the look. */
  lookDefaults?: LookInput;
  /** Default: FFMPEG_PATH, PATH, then the npm-shipped build. */
  ffmpegPath?: string;
  /** Render past `max_per_day`. */
  force: boolean;
  /**
   * `run --due` claims the slot itself (claimDueSlot) and passes the claim: no second one is made.
   * It holds the backend's render turn from before its claim; without a claim, the render takes it.
   */
  claimed?: Claim;
  /**
   * Age after which a `rendering` row is a crashed render's. Default: 0 on the local backend (its
   * render turn rules out a live renderer elsewhere), 30 min on Supabase, where another machine
   * may be rendering right now.
   */
  staleAfterMs?: number;
}

export interface ExportedGroup {
  /** `<uid>/<session_id>/<group timestamp>` in the Exports bucket. */
  folder: string;
  slides: string[];
  video: string | null;
  manifest: string;
}

/** What the executor wrote into the local group folder. */
export interface GroupFiles {
  slides: string[];
  video: string | null;
  manifest: string;
  warnings: Warning[];
}

export interface GroupResult extends GroupFiles {
  groupId: string;
  sessionId: string;
  groupNumber: number;
  /** The local group folder. */
  folder: string;
  exports: ExportedGroup | null;
  /** Groups counted for today, this one included, and the day's cap. */
  createdToday: number;
  maxPerDay: number | null;
  /** Earlier renders found dead in `rendering` and marked failed. */
  recoveredCrashes: number;
}
