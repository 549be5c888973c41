import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidSetting, MissingSetting } from '../../errors.js';
import { loadFontStack } from '../../media/caption/fonts.js';
import { PRESETS } from '../../media/canvas.js';
import { captionColors, captionSizePx } from '../../media/caption/look.js';
import { sha256File } from '../../sha256.js';
import { songBeats } from './beats.js';
import type { RenderOptions } from './group.js';
import type { GroupSettings } from './spec.js';

/**
 * The render's settings with its files checked and hashed and its song's beats found: a mistyped
 * file name, a bad colour, a file that is no font or a song that cannot be read is refused before
 * anything is claimed or rendered.
 */
export async function groupSettings(options: RenderOptions): Promise<GroupSettings> {
  const audio = options.video && options.audio !== undefined ? await assetFile(options.audio, 'audio') : null;
  if (options.video && options.audio === undefined) {
    if (options.beats) throw new MissingSetting('beats', 'audio', 'the slides change on the beats of a song');
    if (options.beatOffset !== undefined) throw new MissingSetting('beatOffset', 'audio', 'it says where the song starts');
  }
  const beats = audio !== null && options.beats
    ? await songBeats(audio.path, { holdRange: options.holdRange, beatOffset: options.beatOffset, ffmpegPath: options.ffmpegPath })
    : null;
  captionColors(options.style, options.textColor, options.boxColor);
  const captionSize = options.captionSize ?? 'm';
  captionSizePx(captionSize, PRESETS[options.preset]);
  if (options.font !== undefined) await loadFontStack(options.font);
  const font = options.font === undefined ? null : await assetFile(options.font, 'font');
  return {
    look: {
      preset: options.preset,
      style: options.style,
      fit: options.fit ?? 'cover',
      position: options.position ?? 'center',
      align: options.align ?? 'center',
      captionSize,
      ...(options.textColor === undefined ? {} : { textColor: options.textColor }),
      ...(options.boxColor === undefined ? {} : { boxColor: options.boxColor }),
    },
    video: options.video
      ? {
          slideDuration: options.slideDuration,
          transition: options.transition,
          transitionDuration: options.transitionDuration,
          motion: options.motion,
          maxClipDuration: options.maxClipDuration,
          ffmpegPath: options.ffmpegPath,
          beats: Boolean(options.beats),
          holdRange: options.holdRange,
          beatOffset: options.beatOffset,
        }
      : null,
    audio,
    beats,
    font,
  };
}

async function assetFile(path: string, field: 'audio' | 'font'): Promise<GroupSettings['audio'] & object> {
  try {
    await access(path);
  } catch {
    throw new InvalidSetting(field, path, 'no such file');
  }
  return { path, name: basename(path), sha256: await sha256File(path) };
}
