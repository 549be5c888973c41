/** Row types, declared once, mirroring supabase/migrations (0001 seed, 0002 hardening, 0004 exactly once, 0007 look). */

import type { MediaType } from '../media/metadata.js';

export type { MediaType };

/** Photos and clips make slides; music and fonts are files a session's look uses (0007). */
export type AssetType = 'audio' | 'font';
export type SourceFileType = MediaType | AssetType;

export interface Profile {
  id: string;
  tiktok_account_id: string | null;
  tiktok_auth_data: unknown;
}

/** The tokens are sealed by src/tiktok/crypto (`tk1.…`), never plaintext (0006). */
export interface TiktokAuth {
  user_id: string;
  tiktok_account_id: string | null;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: string | null;
  created_at: string;
  refresh_expires_at: string | null;
  /** Comma-separated, as TikTok's token endpoint returns it. */
  scope: string;
  updated_at: string;
}

export interface SourceFile {
  id: string;
  user_id: string;
  /** Object key in the Sources bucket: `<uid>/<sha256>.<ext>`. */
  file_path: string;
  file_type: SourceFileType;
  uploaded_at: string;
  sha256: string | null;
  original_name: string | null;
  size_bytes: number | null;
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  mime_type: string | null;
}

export type NewSourceFile = Omit<SourceFile, 'id' | 'user_id' | 'uploaded_at'>;

export interface MediaSession {
  id: string;
  user_id: string;
  started_at: string;
  is_active: boolean;
  frequency: number | null;
  created_per_day: number;
  last_run_at: string | null;
  max_per_day: number | null;
  exported_video_path: string | null;
  per_group: number | null;
  /** Index (into the position-ordered items) where the next group starts; the claim advances it. */
  next_position: number;
  /** Groups finished. */
  groups_created: number;
  /** The number of the last group claimed. */
  last_group_number: number;
  /** Renders that failed since the last one that finished (the schedule backs off after 3). */
  consecutive_failures: number;
  last_failed_at: string | null;
  /** The look as the creator set it (src/services/render/look.ts reads it); `{}` when nothing was. */
  render_settings: Record<string, unknown>;
  /** The post's text and publish settings (src/services/sessions/post.ts reads it). */
  post_settings: Record<string, unknown>;
}

export interface SessionMediaItem {
  id: string;
  session_id: string;
  source_file_id: string | null;
  position: number | null;
  generated_caption: string | null;
  processed_file_path: string | null;
  media_type: MediaType;
}

export type NewSessionMediaItem = Pick<SessionMediaItem, 'source_file_id' | 'position' | 'generated_caption' | 'media_type'>;

export type SlideGroupStatus = 'rendering' | 'done' | 'failed';

export interface SlideGroup {
  id: string;
  session_id: string;
  user_id: string;
  created_at: string;
  folder: string;
  video_path: string | null;
  slide_count: number;
  status: SlideGroupStatus;
  error: string | null;
  group_number: number;
  /** The items the claim gave the group, in slide order. */
  item_ids: string[];
  /** Set by `slides run --due --publish` before the render (0008): publish it, retried until a post finishes. */
  publish_mode: PostMode | null;
}

export type PostKind = 'video' | 'photos';
export type PostMode = 'draft' | 'direct';
export type PostStatus = 'claimed' | 'uploading' | 'processing' | 'sent_to_inbox' | 'published' | 'failed';

/** One post of a slide group to TikTok (0005); `holder`/`heartbeat_at` say who works on a live one. */
export interface SlideGroupPost {
  id: string;
  group_id: string;
  user_id: string;
  platform: 'tiktok';
  kind: PostKind;
  mode: PostMode;
  /** `publish --again` opens the next round; each round has at most one finished post. */
  round: number;
  status: PostStatus;
  publish_id: string | null;
  fail_reason: string | null;
  tiktok_post_id: string | null;
  holder: string;
  heartbeat_at: string;
  attempts: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface UserSettings {
  user_id: string;
  preference: Record<string, unknown> | null;
}
