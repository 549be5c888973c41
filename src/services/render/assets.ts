import { access } from 'node:fs/promises';
import { InvalidSetting, MissingSetting } from '../../errors.js';
import { PRESETS } from '../../media/canvas.js';
import { captionColors, captionSizePx } from '../../media/caption/look.js';
import { sha256File } from '../../sha256.js';
import { checkAsset } from '../upload/asset.js';
import { songAnalysis } from '../../media/beats/song.js';
import { songSamples } from './beats.js';
import type { GroupLook, RenderOptions } from './group.js';
import type { ResolvedLook } from './look.js';
import type { LookFile, RenderLook } from './renderLook.js';
import type { GroupSettings } from './spec.js';

export interface CheckedSettings {
  /** Its `beats` are null until `withBeats` finds them in the song. */
  settings: GroupSettings;
  /** The song from its offset, when the video is cut on its beats. */
  song: Float32Array | null;
}

/**
 * The render's settings with its files checked and hashed and its song decoded: a mistyped file
 * name, a bad colour, a file that is no font or a song that cannot be read is refused before
 * anything is claimed or rendered. Finding the beats is left for after the claim, while the
 * renderer starts.
 */
export async function groupSettings(l: RenderLook, options: Pick<RenderOptions, 'video' | 'ffmpegPath'>): Promise<CheckedSettings> {
  const { look } = l;
  const audio = options.video && l.files.audio ? await assetFile(l.files.audio, 'audio') : null;
  if (options.video && !audio) {
    if (look.beats) throw new MissingSetting('beats', 'audio', 'the slides change on the beats of a song');
    if (l.from.beatOffset !== 'default') throw new MissingSetting('beatOffset', 'audio', 'it says where the song starts');
  }
  if (l.from.holdRange === 'flag' && !look.beats) throw new MissingSetting('holdRange', 'beats', 'it bounds the holds between the cuts on the beat');
  const song = audio !== null && look.beats
    ? await songSamples(audio.path, { holdRange: look.holdRange, beatOffset: look.beatOffset, ffmpegPath: options.ffmpegPath })
    : null;
  captionColors(look.style, look.textColor, look.boxColor);
  captionSizePx(look.captionSize, PRESETS[look.preset]);
  const font = l.files.font ? await assetFile(l.files.font, 'font') : null;
  const settings: GroupSettings = {
    look: groupLook(look),
    video: options.video
      ? {
          slideDuration: look.slideDuration,
          transition: look.transition,
          transitionDuration: look.transitionDuration,
          motion: look.motion,
          maxClipDuration: look.maxClipDuration,
          ffmpegPath: options.ffmpegPath,
          beats: look.beats,
          holdRange: look.holdRange,
          beatOffset: look.beatOffset,
        }
      : null,
    audio,
    beats: null,
    font,
  };
  return { settings, song };
}

/** The settings with the song's beats found. */
export function withBeats({ settings, song }: CheckedSettings): GroupSettings {
  return song ? { ...settings, beats: songAnalysis(song) } : settings;
}

/** The fields of a resolved look that decide how a slide is drawn. */
export function groupLook(look: ResolvedLook): GroupLook {
  return {
    preset: look.preset,
    style: look.style,
    fit: look.fit,
    position: look.position,
    align: look.align,
    captionSize: look.captionSize,
    ...(look.textColor === undefined ? {} : { textColor: look.textColor }),
    ...(look.boxColor === undefined ? {} : { boxColor: look.boxColor }),
  };
}

async function assetFile(file: LookFile, field: 'audio' | 'font'): Promise<GroupSettings['audio'] & object> {
  try {
    await access(file.path);
  } catch {
    throw new InvalidSetting(field, file.path, 'no such file');
  }
  await checkAsset(file.path, field);
  return { path: file.path, name: file.name, sha256: await sha256File(file.path) };
}
