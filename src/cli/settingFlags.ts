import { InvalidSetting, messageOf, MissingSetting, settingValueText, SlidesError, StoredSettingInvalid } from '../errors.js';
import type { Warning } from '../warning.js';

/**
 * Which flag sets each setting field that services and media name in their errors and warnings.
 * One table, so a field is spelled the same in every command's messages.
 */
export const FLAG_OF: Record<string, string> = {
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
  align: '--align',
  captionSize: '--caption-size',
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
  frequency: '--frequency',
  maxPerDay: '--max-per-day',
  perGroup: '--per-group',
  from: '--from',
  files: '--files',
  type: '--type',
  caption: '--caption',
  captions: '--captions',
  captionTemplate: '--caption-template',
  every: '--every',
  postCaption: '--post-caption',
  hashtags: '--hashtags',
  publish: '--publish',
};

export function flagOf(field: string): string {
  return FLAG_OF[field] ?? field;
}

/** The one-line message of an error, with a setting's field named by its flag. */
export function userMessage(error: unknown): string {
  if (error instanceof MissingSetting) return `${flagOf(error.field)} needs ${flagOf(error.needs)}: ${error.problem}`;
  if (error instanceof StoredSettingInvalid) {
    const flag = flagOf(error.field) === error.field ? '' : ` (${flagOf(error.field)})`;
    return `session ${error.sessionId.slice(0, 8)} stores ${error.field} ${settingValueText(error.value)}${flag}: ${error.problem}`;
  }
  if (error instanceof InvalidSetting) {
    return error.value === undefined ? `${flagOf(error.field)}: ${error.problem}` : `${flagOf(error.field)} ${settingValueText(error.value)}: ${error.problem}`;
  }
  return messageOf(error);
}

/** What to do next, with a setting's field named by its flag. */
export function userHint(error: unknown): string | undefined {
  if (error instanceof InvalidSetting && error.pass !== undefined) return `pass ${flagOf(error.field)} ${error.pass}`;
  return error instanceof SlidesError ? error.hint : undefined;
}

/** A warning as one line, its settings named by their flags. */
export function warningText(warning: Warning): string {
  const about = warning.about ? `${flagOf(warning.about.field)} ${settingValueText(warning.about.value)} ` : '';
  const fix = warning.fix ? ` (${[warning.fix.verb, flagOf(warning.fix.field), warning.fix.rest].filter(Boolean).join(' ')})` : '';
  return `${about}${warning.text}${fix}`;
}
