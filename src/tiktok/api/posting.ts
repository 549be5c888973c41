import type { TikTokApi } from './client.js';
import type { ChunkPlan } from './chunks.js';

/** creator_info/query (TikTok's names): who posts and what they may post now. */
export interface CreatorInfo {
  creator_avatar_url?: string;
  creator_username?: string;
  creator_nickname: string;
  privacy_level_options: string[];
  comment_disabled: boolean;
  duet_disabled: boolean;
  stitch_disabled: boolean;
  max_video_post_duration_sec: number;
}

/** Direct video posts' post_info. */
export interface VideoPostInfo {
  title?: string;
  privacy_level: string;
  disable_comment: boolean;
  disable_duet: boolean;
  disable_stitch: boolean;
  brand_content_toggle: boolean;
  brand_organic_toggle: boolean;
}

export interface PhotoPostInfo {
  title?: string;
  description?: string;
  privacy_level?: string;
  disable_comment: boolean;
  auto_add_music: boolean;
  brand_content_toggle?: boolean;
  brand_organic_toggle?: boolean;
}

export interface VideoInit {
  publish_id: string;
  upload_url: string;
}

export type PostStatusName = 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'SEND_TO_USER_INBOX' | 'PUBLISH_COMPLETE' | 'FAILED';

export interface PostStatus {
  status: PostStatusName;
  fail_reason?: string;
  /** TikTok's spelling. */
  publicaly_available_post_id?: (number | string)[];
  uploaded_bytes?: number;
  downloaded_bytes?: number;
}

export const PATHS = {
  creatorInfo: '/v2/post/publish/creator_info/query/',
  inboxVideo: '/v2/post/publish/inbox/video/init/',
  directVideo: '/v2/post/publish/video/init/',
  content: '/v2/post/publish/content/init/',
  status: '/v2/post/publish/status/fetch/',
} as const;

export function queryCreatorInfo(api: TikTokApi): Promise<CreatorInfo> {
  return api.call<CreatorInfo>(PATHS.creatorInfo, 'creatorInfo', {});
}

function fileUpload(plan: ChunkPlan) {
  return { source: 'FILE_UPLOAD', video_size: plan.size, chunk_size: plan.chunkSize, total_chunk_count: plan.count };
}

/** A draft in the creator's inbox: only source_info goes. */
export function initInboxVideo(api: TikTokApi, plan: ChunkPlan): Promise<VideoInit> {
  return api.call<VideoInit>(PATHS.inboxVideo, 'init', { source_info: fileUpload(plan) });
}

export function initDirectVideo(api: TikTokApi, plan: ChunkPlan, postInfo: VideoPostInfo): Promise<VideoInit> {
  return api.call<VideoInit>(PATHS.directVideo, 'init', { post_info: postInfo, source_info: fileUpload(plan) });
}

export function initPhotos(
  api: TikTokApi,
  o: { mode: 'draft' | 'direct'; urls: string[]; postInfo: PhotoPostInfo },
): Promise<{ publish_id: string }> {
  return api.call<{ publish_id: string }>(PATHS.content, 'init', {
    media_type: 'PHOTO',
    post_mode: o.mode === 'direct' ? 'DIRECT_POST' : 'MEDIA_UPLOAD',
    post_info: o.postInfo,
    source_info: { source: 'PULL_FROM_URL', photo_images: o.urls, photo_cover_index: 0 },
  });
}

export function fetchStatus(api: TikTokApi, publishId: string): Promise<PostStatus> {
  return api.call<PostStatus>(PATHS.status, 'status', { publish_id: publishId });
}
