import { InvalidSetting, messageOf, MissingSetting, settingValueText } from '../errors.js';

/**
 * Which flag sets each setting field that services and media name in their errors. One table,
 * so a field is spelled the same in every command's messages.
 */
const FLAG_OF: Record<string, string> = {
  slideDuration: '--slide-duration',
  maxClipDuration: '--max-clip-duration',
  transitionDuration: '--transition-duration',
  transition: '--transition',
  audio: '--audio',
  font: '--font',
  textColor: '--text-color',
  boxColor: '--box-color',
  style: '--style',
  preset: '--preset',
  fit: '--fit',
  position: '--position',
  motion: '--motion',
  privacy: '--privacy',
  title: '--title',
  allowComments: '--allow-comments',
  allowDuet: '--allow-duet',
  allowStitch: '--allow-stitch',
  brandedContent: '--branded-content',
  photoUrlPrefix: 'tiktok.photoUrlPrefix',
  beats: '--beats',
  holdRange: '--hold-range',
  beatOffset: '--beat-offset',
  audioStart: '--beat-offset',
};

export function flagOf(field: string): string {
  return FLAG_OF[field] ?? field;
}

/** The one-line message of an error, with a setting's field named by its flag. */
export function userMessage(error: unknown): string {
  if (error instanceof MissingSetting) return `${flagOf(error.field)} needs ${flagOf(error.needs)}: ${error.problem}`;
  if (error instanceof InvalidSetting) {
    return error.value === undefined ? `${flagOf(error.field)}: ${error.problem}` : `${flagOf(error.field)} ${settingValueText(error.value)}: ${error.problem}`;
  }
  return messageOf(error);
}
