import { SlidesError } from '../../errors.js';

/** What a creator reads for each code TikTok answers (TIKTOK.md "Errors worth a sentence" and the status fail reasons). */
const SENTENCES: Record<string, string> = {
  spam_risk_too_many_pending_share:
    'TikTok holds at most 5 unfinished drafts a day: finish or delete some in the TikTok app, then run slides publish again',
  unaudited_client_can_only_post_to_private_accounts:
    'your TikTok app is not audited yet: until TikTok audits it, it may post only to private accounts with privacy SELF_ONLY, for at most 5 creators a day',
  privacy_level_option_mismatch:
    'TikTok refused that privacy level for this account: pick one of the levels it offers (slides publish lists them)',
  url_ownership_unverified:
    'TikTok pulls photos only from a URL prefix verified for your app: verify your domain in the TikTok developer portal and set tiktok.photoUrlPrefix to it, or publish the video',
  spam_risk_too_many_posts: 'TikTok allows a creator about 15 posts a day across all apps: try again tomorrow',
  spam_risk_user_banned_from_posting: 'TikTok has stopped this account from posting for now: check the TikTok app',
  spam_risk_text: 'TikTok flagged the title as spam: change the title and publish again',
  spam_risk: 'TikTok flagged this post as a spam risk and did not post it',
  reached_active_user_cap: 'your TikTok app reached its daily cap of active creators: try again tomorrow, or have TikTok audit the app',
  access_token_invalid: 'TikTok no longer accepts this sign-in: run slides tiktok connect',
  scope_not_authorized: 'the TikTok account did not grant the permission this post needs: run slides tiktok connect again and allow it',
  rate_limit_exceeded: 'TikTok asked slides to slow down and kept refusing: wait a minute and run slides publish again',
  file_format_check_failed: 'TikTok could not read the video: it takes MP4, WebM or MOV in H.264',
  duration_check_failed: "the video's length is outside what TikTok allows this account",
  frame_rate_check_failed: 'TikTok takes videos between 23 and 60 frames a second',
  picture_size_check_failed: 'TikTok refused the picture size: 360 to 4096 px a side for videos, at most 1080 px on the shorter side for photos',
  internal: 'TikTok had an internal error while processing the post: run slides publish again',
  video_pull_failed: 'TikTok could not download the video from its URL',
  photo_pull_failed:
    'TikTok could not download the photos: the URLs under tiktok.photoUrlPrefix must be public https, without redirects, for an hour',
  publish_cancelled: 'the post was cancelled before it went out',
  auth_removed: 'the creator removed this app from their TikTok account: run slides tiktok connect',
};

/** The creator-readable sentence for a TikTok error code or fail reason. */
export function explainTikTokCode(code: string, message?: string): string {
  return SENTENCES[code] ?? `TikTok answered ${code}${message ? `: ${message}` : ''}`;
}

const AUTH_CODES = new Set(['access_token_invalid', 'scope_not_authorized', 'auth_removed']);
const INPUT_CODES = new Set(['privacy_level_option_mismatch', 'url_ownership_unverified', 'spam_risk_text']);

/** TikTok refused a call (or a post failed): the code, its sentence, and an exit code by kind (3 auth, 2 input, else 1). */
export class TikTokRefused extends SlidesError {
  override readonly exitCode: number;
  readonly code: string;
  readonly httpStatus: number | null;
  readonly logId: string | null;
  constructor(code: string, o: { message?: string; httpStatus?: number | null; logId?: string | null } = {}) {
    super(explainTikTokCode(code, o.message), { hint: o.logId ? `TikTok log id ${o.logId}` : undefined });
    this.code = code;
    this.httpStatus = o.httpStatus ?? null;
    this.logId = o.logId ?? null;
    this.exitCode = AUTH_CODES.has(code) ? 3 : INPUT_CODES.has(code) ? 2 : 1;
  }
}

/** TikTok could not be reached or answered something that is not its JSON envelope. */
export class TikTokUnreachable extends SlidesError {
  override readonly exitCode = 5;
}
