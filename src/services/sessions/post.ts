/**
 * What a session posts beside its slides (media_sessions.post_settings, 0007): the post's text
 * (a template with alternatives, like slide captions), its hashtags, and how `publish` sends it.
 * Checked against TikTok's limits when it is set, not when a group is posted.
 */
import { InvalidSetting, StoredSettingInvalid } from '../../errors.js';
import type { Warning } from '../../warning.js';
import type { ManifestPost, ManifestPublish } from '../render/manifest.js';
import { pickCaption, captionAlternatives } from '../captions/pick.js';
import { fillPlaceholders, unknownPlaceholder } from '../captions/template.js';

export const PUBLISH_MODES = ['draft', 'direct'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

/** TikTok's privacy levels; a creator's account allows some of them (creator_info). */
export const PRIVACY_LEVELS = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

export interface PostSettings {
  /** The post's text: `{n}` group number, `{total}` slides in the group, `{date}` its day; ` | ` between alternatives. */
  postCaption?: string;
  /** Each with its `#`. */
  hashtags?: string[];
  publish?: PublishMode;
  privacy?: PrivacyLevel;
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
}

export type PostField = keyof PostSettings;

/** TikTok's limits in UTF-16 units (a JS string's length): a video's title; a photo post's title and description. */
export const POST_LIMITS = { videoTitle: 2200, photoTitle: 90, photoDescription: 4000 } as const;

export const POST_TEMPLATE_FIELDS = ['n', 'total', 'date'] as const;
/** The longest a placeholder becomes, for checking the limits before any group exists. */
const WIDEST: Record<(typeof POST_TEMPLATE_FIELDS)[number], string> = { n: '999999', total: '35', date: '2026-12-31' };
/** Marks (\p{M}) too: Thai vowels and Devanagari signs are part of the word, though not its first character. */
const HASHTAG = /^#[\p{L}\p{N}_][\p{L}\p{M}\p{N}_]*$/u;

/** The post text of one group, as the manifest carries it and `publish` sends it. */
export interface PostText {
  /** The alternative this group shows, filled in: a photo post's title. */
  title: string;
  /** The title and the hashtags: a video's title, a photo post's description. */
  description: string;
  hashtags: string[];
}

/** `"#a #b"` (or `"a, b"`) → `['#a', '#b']`; InvalidSetting naming the first that is no hashtag. */
export function parseHashtags(raw: string): string[] {
  const tags = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (t.startsWith('#') ? t : `#${t}`).normalize('NFC'));
  const bad = tags.find((t) => !HASHTAG.test(t));
  if (bad !== undefined) throw new InvalidSetting('hashtags', bad, 'not a hashtag (letters, digits and _ after one #)');
  return [...new Set(tags)];
}

/** Checks what was given (InvalidSetting naming the field) and returns warnings worth telling. */
export function checkPostSettings(s: PostSettings): Warning[] {
  const warnings = new Map<string, Warning>();
  if (s.postCaption !== undefined && !clears(s.postCaption)) {
    const empty = captionAlternatives(s.postCaption).findIndex((a) => a.trim() === '');
    if (empty !== -1) {
      throw new InvalidSetting('postCaption', s.postCaption, `alternative ${empty + 1} is empty`, {
        hint: 'write text on both sides of every " | ", or give "" to have no post text',
      });
    }
    const unknown = unknownPlaceholder(s.postCaption, POST_TEMPLATE_FIELDS);
    if (unknown !== null) {
      throw new InvalidSetting('postCaption', s.postCaption, `unknown placeholder {${unknown}}`, {
        hint: `use ${POST_TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`,
      });
    }
  }
  for (const tag of s.hashtags ?? []) {
    if (!HASHTAG.test(tag)) throw new InvalidSetting('hashtags', tag, 'not a hashtag (letters, digits and _ after one #)');
  }
  if (s.publish !== undefined && !PUBLISH_MODES.includes(s.publish)) {
    throw new InvalidSetting('publish', s.publish, 'not a publish mode', { allowed: PUBLISH_MODES });
  }
  if (s.privacy !== undefined && !PRIVACY_LEVELS.includes(s.privacy)) {
    throw new InvalidSetting('privacy', s.privacy, 'not a TikTok privacy level', { allowed: PRIVACY_LEVELS });
  }
  if (s.publish === 'direct' && s.privacy === undefined) {
    throw new InvalidSetting('publish', 'direct', 'a direct post needs a privacy level, and TikTok allows no default', {
      allowed: PRIVACY_LEVELS,
    });
  }
  const alternatives = s.postCaption === undefined || clears(s.postCaption) ? [''] : captionAlternatives(s.postCaption);
  for (const alternative of alternatives) {
    const title = fillPlaceholders(alternative, WIDEST);
    const description = joinText(title, s.hashtags ?? []);
    if (description.length > POST_LIMITS.videoTitle) {
      throw new InvalidSetting(s.postCaption !== undefined ? 'postCaption' : 'hashtags', truncated(description), 
        `the post text with its hashtags can reach ${description.length} characters (UTF-16 units); TikTok takes at most ${POST_LIMITS.videoTitle} for a video`,
      );
    }
    if (title.length > POST_LIMITS.photoTitle) {
      const text = `can reach ${title.length} characters: a photo post's title takes ${POST_LIMITS.photoTitle}, so photo posts carry it in their description only`;
      warnings.set(alternative, { about: { field: 'postCaption', value: truncated(alternative) }, text });
    }
  }
  return [...warnings.values()];
}

/** An empty post text or hashtag list given to a session removes the one it had. */
export function clears(value: string | string[]): boolean {
  return typeof value === 'string' ? value.trim() === '' : value.length === 0;
}

/** A session's stored post settings, each checked; StoredSettingInvalid names the session and the setting. */
export function parseStoredPost(sessionId: string, raw: Record<string, unknown>): PostSettings {
  const known: Record<PostField, (v: unknown) => boolean> = {
    postCaption: (v) => typeof v === 'string',
    hashtags: (v) => Array.isArray(v) && v.every((t) => typeof t === 'string'),
    publish: (v) => typeof v === 'string',
    privacy: (v) => typeof v === 'string',
    allowComments: (v) => typeof v === 'boolean',
    allowDuet: (v) => typeof v === 'boolean',
    allowStitch: (v) => typeof v === 'boolean',
  };
  for (const [field, value] of Object.entries(raw)) {
    if (!Object.hasOwn(known, field)) {
      throw new StoredSettingInvalid(sessionId, field, value, 'not a setting this version of slides knows');
    }
    if (!known[field as PostField](value)) {
      throw new StoredSettingInvalid(sessionId, field, value, 'not a value this version of slides takes');
    }
  }
  const settings = raw as PostSettings;
  try {
    checkPostSettings(settings);
  } catch (error) {
    if (error instanceof InvalidSetting) {
      throw new StoredSettingInvalid(sessionId, error.field, error.value, error.problem, error.allowed);
    }
    throw error;
  }
  return settings;
}

/** The post text of group `groupNumber`: its alternative of the template, filled in; null when the session has none. */
export function postTextFor(s: PostSettings, group: { groupNumber: number; slides: number; date: Date; timeZone: string }): PostText | null {
  if (s.postCaption === undefined && (s.hashtags ?? []).length === 0) return null;
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: group.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(group.date);
  const title = s.postCaption === undefined ? '' : fillPlaceholders(pickCaption(s.postCaption, group.groupNumber), { n: String(group.groupNumber), total: String(group.slides), date });
  const hashtags = s.hashtags ?? [];
  return { title, description: joinText(title, hashtags), hashtags };
}

/** The manifest's `post`: the caption this group shows (its alternative, filled in) and the hashtags; null without post text. */
export function manifestPost(s: PostSettings, group: { groupNumber: number; slides: number; date: Date; timeZone: string }): ManifestPost | null {
  const text = postTextFor(s, group);
  return text ? { caption: text.title === '' ? null : text.title, hashtags: text.hashtags } : null;
}

/** The manifest's `publish`: what the session says of how to post; null when it says nothing. */
export function manifestPublish(s: PostSettings): ManifestPublish | null {
  const publish: ManifestPublish = {
    ...(s.publish === undefined ? {} : { mode: s.publish }),
    ...(s.privacy === undefined ? {} : { privacy: s.privacy }),
    ...(s.allowComments === undefined ? {} : { allowComments: s.allowComments }),
    ...(s.allowDuet === undefined ? {} : { allowDuet: s.allowDuet }),
    ...(s.allowStitch === undefined ? {} : { allowStitch: s.allowStitch }),
  };
  return Object.keys(publish).length > 0 ? publish : null;
}

function joinText(title: string, hashtags: readonly string[]): string {
  return [title, hashtags.join(' ')].filter(Boolean).join(' ');
}

function truncated(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
