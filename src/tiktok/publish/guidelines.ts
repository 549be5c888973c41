import { InvalidSetting } from '../../errors.js';
import type { CreatorInfo, PhotoPostInfo, VideoPostInfo } from '../api/posting.js';

/** What the creator chose for a post; every toggle starts off (Content Sharing Guidelines 2 and 4). */
export interface PostChoices {
  /** One of creator_info's privacy_level_options; there is no default. */
  privacy?: string;
  title?: string;
  allowComments: boolean;
  allowDuet: boolean;
  allowStitch: boolean;
  /** "Your brand": promoting the creator's own business. */
  brandOrganic: boolean;
  /** "Branded content": paid partnership with a third party. */
  brandedContent: boolean;
  /** Photo posts: TikTok adds music. */
  autoMusic: boolean;
}

export type PostField = 'privacy' | 'title' | 'allowComments' | 'allowDuet' | 'allowStitch' | 'brandedContent' | 'duration';

/** A choice TikTok's rules or the creator's account do not allow: the field, what was given, what is allowed. */
export class PostSettingRefused extends InvalidSetting {
  declare readonly field: PostField;
  declare readonly value: string | number | boolean | undefined;
  declare readonly allowed: readonly string[];
  constructor(field: PostField, value: string | number | boolean | undefined, allowed: readonly string[], problem: string) {
    super(field, value, problem, { allowed });
  }
}

export const LIMITS = { videoTitle: 2200, photoTitle: 90, photoDescription: 4000, photos: 35 } as const;

/** Video: 2200 UTF-16 units of title (a JS string's length counts them). */
export function checkTitle(title: string | undefined, max: number): void {
  if (title !== undefined && title.length > max) {
    throw new PostSettingRefused('title', title.length, [], `the title is ${title.length} characters (UTF-16 units); TikTok takes at most ${max}`);
  }
}

function checkPrivacy(creator: CreatorInfo, choices: PostChoices): string {
  const allowed = creator.privacy_level_options;
  if (choices.privacy === undefined) {
    throw new PostSettingRefused('privacy', undefined, allowed, 'a direct post needs a privacy level, and TikTok allows no default');
  }
  if (!allowed.includes(choices.privacy)) {
    throw new PostSettingRefused('privacy', choices.privacy, allowed, `${creator.creator_nickname} cannot post with privacy ${choices.privacy}`);
  }
  if (choices.brandedContent && choices.privacy === 'SELF_ONLY') {
    throw new PostSettingRefused('brandedContent', true, allowed.filter((p) => p !== 'SELF_ONLY'), 'branded content cannot be private (SELF_ONLY)');
  }
  return choices.privacy;
}

function refuseDisabled(field: PostField, asked: boolean, disabled: boolean, what: string, nickname: string): void {
  if (asked && disabled) throw new PostSettingRefused(field, true, [], `${nickname} has turned ${what} off in TikTok`);
}

/** Privacy levels a direct post may pick from, given the branded-content toggle. */
export function privacyChoices(creator: CreatorInfo, brandedContent: boolean): string[] {
  return creator.privacy_level_options.filter((p) => !(brandedContent && p === 'SELF_ONLY'));
}

/** post_info for a direct video, checked against fresh creator_info and the video's duration. */
export function videoPostInfo(creator: CreatorInfo, choices: PostChoices, durationSec: number): VideoPostInfo {
  if (durationSec > creator.max_video_post_duration_sec) {
    throw new PostSettingRefused(
      'duration',
      durationSec,
      [],
      `the video lasts ${durationSec.toFixed(1)} s; ${creator.creator_nickname} may post at most ${creator.max_video_post_duration_sec} s`,
    );
  }
  checkTitle(choices.title, LIMITS.videoTitle);
  const privacy = checkPrivacy(creator, choices);
  refuseDisabled('allowComments', choices.allowComments, creator.comment_disabled, 'comments', creator.creator_nickname);
  refuseDisabled('allowDuet', choices.allowDuet, creator.duet_disabled, 'duets', creator.creator_nickname);
  refuseDisabled('allowStitch', choices.allowStitch, creator.stitch_disabled, 'stitches', creator.creator_nickname);
  return {
    ...(choices.title ? { title: choices.title } : {}),
    privacy_level: privacy,
    disable_comment: !choices.allowComments,
    disable_duet: !choices.allowDuet,
    disable_stitch: !choices.allowStitch,
    brand_content_toggle: choices.brandedContent,
    brand_organic_toggle: choices.brandOrganic,
  };
}

/** post_info for a photo post: comments are the only interaction photos have; drafts carry no privacy. */
export function photoPostInfo(creator: CreatorInfo | null, choices: PostChoices, description: string | undefined): PhotoPostInfo {
  if (choices.allowDuet) throw new PostSettingRefused('allowDuet', true, [], 'photo posts have no duets (comments only)');
  if (choices.allowStitch) throw new PostSettingRefused('allowStitch', true, [], 'photo posts have no stitches (comments only)');
  checkTitle(choices.title, LIMITS.photoTitle);
  const text = description?.slice(0, LIMITS.photoDescription);
  const common = {
    ...(choices.title ? { title: choices.title } : {}),
    ...(text ? { description: text } : {}),
    disable_comment: !choices.allowComments,
    auto_add_music: choices.autoMusic,
  };
  if (!creator) return common;
  const privacy = checkPrivacy(creator, choices);
  refuseDisabled('allowComments', choices.allowComments, creator.comment_disabled, 'comments', creator.creator_nickname);
  return { ...common, privacy_level: privacy, brand_content_toggle: choices.brandedContent, brand_organic_toggle: choices.brandOrganic };
}

/** The declaration TikTok requires before a direct post (guideline 3, plus the Branded Content Policy when it applies). */
export function consentLine(choices: Pick<PostChoices, 'brandedContent'>): string {
  return choices.brandedContent
    ? "By posting, you agree to TikTok's Branded Content Policy and Music Usage Confirmation."
    : "By posting, you agree to TikTok's Music Usage Confirmation.";
}
