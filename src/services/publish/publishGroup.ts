import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Backend } from '../../db/backend.js';
import type { PostKind, PostMode, PostStatus as RowStatus, SlideGroup, SlideGroupPost } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import type { Paths } from '../../paths.js';
import type { TikTokAccess, TikTokEndpoints } from '../../tiktok/access.js';
import { chunkPlan, MAX_VIDEO_BYTES, type ChunkPlan } from '../../tiktok/api/chunks.js';
import { TikTokApi, type WaitEvent } from '../../tiktok/api/client.js';
import { TikTokRefused } from '../../tiktok/api/errors.js';
import {
  fetchStatus,
  initDirectVideo,
  initInboxVideo,
  initPhotos,
  queryCreatorInfo,
  type CreatorInfo,
  type PhotoPostInfo,
  type PostStatus,
  type VideoPostInfo,
} from '../../tiktok/api/posting.js';
import { realWaiter, type Waiter } from '../../tiktok/api/rateLimit.js';
import { uploadChunks, UploadUrlExpired } from '../../tiktok/api/upload.js';
import { LIMITS, photoPostInfo, videoPostInfo, type PostChoices } from '../../tiktok/publish/guidelines.js';
import { claimPost, PostInProgress, REMOTE_LEASE_MS, startHeartbeat, updatePost } from './claim.js';
import { AlreadyPublished, finishedPosts, groupToPublish } from './findGroup.js';
import { groupPhotos, groupVideo, photoUrls, type LocalVideo } from './media.js';
import { isTerminal, pollStatus } from './poll.js';
import { groupPostText } from './postText.js';

export type PublishEvent =
  | { type: 'group'; group: SlideGroup }
  | { type: 'creator'; creator: CreatorInfo }
  | { type: 'claimed'; post: SlideGroupPost; resumed: boolean }
  | { type: 'video'; video: LocalVideo; plan: ChunkPlan }
  | { type: 'init'; publishId: string; attempt: number }
  | { type: 'chunk'; index: number; count: number; bytes: number; total: number }
  | { type: 'chunk-retry'; index: number; status: number | string; ms: number }
  | { type: 'upload-expired' }
  | { type: 'uploaded' }
  | { type: 'wait'; wait: WaitEvent }
  | { type: 'refreshed' }
  | { type: 'status'; status: PostStatus }
  | { type: 'claim-lost' };

export interface PublishDeps {
  backend: Backend;
  clock: Clock;
  paths: Pick<Paths, 'data' | 'cache'>;
  endpoints: TikTokEndpoints;
  access: TikTokAccess;
  waiter?: Waiter;
  onEvent?: (event: PublishEvent) => void;
  /**
   * Direct posts: called with fresh creator_info before anything is claimed; returns the creator's
   * choices (privacy picked, title edited, consent given) or throws to stop. Drafts do not call it.
   * `text` is the post text the title starts from (the options' title, else the manifest's).
   */
  decide?: (creator: CreatorInfo, kind: PostKind, text: string | null) => Promise<PostChoices>;
}

export interface PublishOptions {
  /** A group id or unique prefix; default: the newest finished, unpublished group of the active session. */
  group?: string;
  kind: PostKind;
  mode: PostMode;
  choices: PostChoices;
  /** Post a group that already has a finished post of this kind. */
  again: boolean;
  /** `tiktok.photoUrlPrefix`: the URL prefix verified for the app that serves the Exports bucket. */
  photoUrlPrefix?: string;
  /**
   * The post's text: a direct video's title unless `choices.title` is given, a photo post's
   * description. Default: the post text the render wrote into the group's manifest (the session's
   * post caption and hashtags).
   */
  text?: string;
  /** The video's duration in seconds (direct posts are checked against the creator's maximum). */
  probeDuration?: (file: string) => Promise<number>;
}

export interface PublishResult {
  groupId: string;
  groupNumber: number;
  kind: PostKind;
  mode: PostMode;
  postId: string;
  publishId: string;
  status: RowStatus;
  tiktokPostId: string | null;
  /** A crashed run's claim was picked up. */
  resumed: boolean;
  creator: string | null;
  /** The text sent with the post (drafts of videos carry none: the creator writes it in the app). */
  text: string | null;
  video: { bytes: number; chunks: number; downloaded: boolean } | null;
  /** ms spent sending bytes to TikTok (the rest is the publish's own overhead). */
  uploadMs: number;
  totalMs: number;
}

/** Photos need a verified https prefix: without one TikTok answers url_ownership_unverified. */
export class PhotoPrefixRefused extends UsageError {
  constructor(readonly prefix: string | undefined) {
    super(
      prefix === undefined
        ? 'photo posts need tiktok.photoUrlPrefix: TikTok pulls photos only from an https URL prefix verified for your app (a Supabase signed URL is not)'
        : `tiktok.photoUrlPrefix ${prefix} is not https: TikTok pulls photos only from an https URL prefix verified for your app`,
      {
        hint: 'verify a domain or CDN in front of the Exports bucket in the TikTok developer portal and run slides config set tiktok.photoUrlPrefix https://…, or publish the video',
      },
    );
  }
}

const MAX_REINITS = 3;

/**
 * Publishes one finished slide group to TikTok (DESIGN §9): pick the group, check the post against
 * TikTok's rules (fresh creator_info for direct posts), claim it in one transaction, then send:
 * the MP4 by FILE_UPLOAD in chunks, or the slides as a PULL_FROM_URL photo post; then poll the
 * status. A claim left by a crashed run is resumed: TikTok is asked about its publish id first, and
 * an upload it already has is polled, never sent again.
 */
export async function publishGroup(deps: PublishDeps, o: PublishOptions): Promise<PublishResult> {
  const started = Date.now();
  const { backend, clock } = deps;
  const rows = backend.rows;
  const emit = (event: PublishEvent) => deps.onEvent?.(event);
  const waiter = deps.waiter ?? realWaiter;
  const api = new TikTokApi({
    endpoints: deps.endpoints,
    access: deps.access,
    waiter,
    onWait: (wait) => emit({ type: 'wait', wait }),
    onRefreshed: () => emit({ type: 'refreshed' }),
  });

  if (o.kind === 'photos') checkPrefix(o.photoUrlPrefix);
  const group = await groupToPublish(rows, { given: o.group, kind: o.kind });
  emit({ type: 'group', group });
  if (!o.again) {
    const [finished] = await finishedPosts(rows, [group.id], o.kind);
    if (finished) throw new AlreadyPublished(group, finished);
  }
  const photos = o.kind === 'photos' ? await groupPhotos(backend.storage, group, deps.paths.data) : null;
  if (photos) await checkPhotoSizes(photos.localFiles);
  const video = o.kind === 'video' ? await groupVideo(backend.storage, group, deps.paths) : null;
  if (video && video.size > MAX_VIDEO_BYTES) throw new UsageError(`${video.path} is larger than the 4 GB TikTok takes`);
  const plan = video ? chunkPlan(video.size) : null;
  if (video && plan) emit({ type: 'video', video, plan });

  const manifest = o.text === undefined ? await groupPostText(backend.storage, group, deps.paths) : null;
  const text = o.text ?? manifest?.text ?? null;
  // A photo post's title is the caption alone when it fits; the hashtags go in its description.
  const photoTitle = manifest?.caption && manifest.caption.length <= LIMITS.photoTitle ? manifest.caption : undefined;
  let creator: CreatorInfo | null = null;
  let choices: PostChoices = { ...o.choices, title: o.choices.title ?? (o.kind === 'video' ? (text ?? undefined) : photoTitle) };
  if (o.mode === 'direct') {
    creator = await queryCreatorInfo(api);
    emit({ type: 'creator', creator });
    if (deps.decide) choices = await deps.decide(creator, o.kind, choices.title ?? text);
  }
  const postInfo = await postInfoFor(o, creator, choices, video, text);
  const sentText = o.kind === 'photos' ? ((postInfo as PhotoPostInfo).description ?? null) : o.mode === 'direct' ? (choices.title ?? null) : null;

  const holder = randomUUID();
  const leaseMs = backend.kind === 'local' ? 'holder-gone' : REMOTE_LEASE_MS;
  const claim = await claimPost(rows, { groupId: group.id, kind: o.kind, mode: o.mode, holder, now: clock.now(), leaseMs, again: o.again });
  if (claim.kind === 'finished') throw new AlreadyPublished(group, claim.post);
  if (claim.kind === 'busy') throw new PostInProgress(claim.post);
  let post = claim.post;
  emit({ type: 'claimed', post, resumed: claim.kind === 'resumed' });

  let lost = false;
  const heartbeat = startHeartbeat(rows, post, () => clock.now(), () => {
    lost = true;
    emit({ type: 'claim-lost' });
  });
  const write = async (patch: Partial<SlideGroupPost>) => {
    if (lost) throw new Error('another run took over this post; it carries on from here');
    const row = await updatePost(rows, post, patch, clock.now());
    if (!row) {
      lost = true;
      throw new Error('another run took over this post; it carries on from here');
    }
    post = row;
  };
  let uploadMs = 0;
  try {
    let status = post.publish_id ? await resumeStatus(api, post.publish_id, plan) : null;
    if (status) emit({ type: 'status', status });
    else {
      const urls = photos ? photoUrls(o.photoUrlPrefix as string, photos.keys) : [];
      for (let attempt = 1; ; attempt++) {
        const init = await initPost(api, { kind: o.kind, mode: o.mode, plan, postInfo, urls });
        emit({ type: 'init', publishId: init.publishId, attempt });
        await write({ publish_id: init.publishId, status: video ? 'uploading' : 'processing', mode: o.mode });
        if (!video || !plan || !init.uploadUrl) break;
        const sendStarted = Date.now();
        try {
          await uploadChunks(
            video.path,
            init.uploadUrl,
            plan,
            { onChunk: (c) => emit({ type: 'chunk', ...c }), onRetry: (r) => emit({ type: 'chunk-retry', ...r }) },
            waiter,
          );
          break;
        } catch (error) {
          if (!(error instanceof UploadUrlExpired) || attempt >= MAX_REINITS) throw error;
          emit({ type: 'upload-expired' });
        } finally {
          uploadMs += Date.now() - sendStarted;
        }
      }
      if (video) {
        await write({ status: 'processing' });
        emit({ type: 'uploaded' });
      }
    }
    if (!status || !isTerminal(status)) {
      if (post.status !== 'processing') await write({ status: 'processing' });
      status = await pollStatus(api, post.publish_id as string, waiter, (s) => emit({ type: 'status', status: s }));
    }
    await write(rowPatch(status, clock.now()));
    if (status.status === 'FAILED') throw new TikTokRefused(status.fail_reason ?? 'internal');
    return {
      groupId: group.id,
      groupNumber: group.group_number,
      kind: o.kind,
      mode: post.mode,
      postId: post.id,
      publishId: post.publish_id as string,
      status: post.status,
      tiktokPostId: post.tiktok_post_id,
      resumed: claim.kind === 'resumed',
      creator: creator?.creator_nickname ?? null,
      text: sentText,
      video: video && plan ? { bytes: video.size, chunks: plan.count, downloaded: video.downloaded } : null,
      uploadMs,
      totalMs: Date.now() - started,
    };
  } catch (error) {
    // TikTok refusing the post frees the group for a retry; anything else (our crash, the network)
    // keeps the claim live, so the rerun asks TikTok about its publish id before sending again.
    if (!lost && error instanceof TikTokRefused && post.status !== 'failed') {
      await updatePost(rows, post, { status: 'failed', fail_reason: error.code, finished_at: clock.now().toISOString() }, clock.now()).catch(
        () => undefined,
      );
    }
    throw error;
  } finally {
    heartbeat.stop();
  }
}

function checkPrefix(prefix: string | undefined): void {
  if (prefix === undefined) throw new PhotoPrefixRefused(undefined);
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    throw new PhotoPrefixRefused(prefix);
  }
  if (url.protocol !== 'https:') throw new PhotoPrefixRefused(prefix);
}

/** TikTok refuses a whole carousel for one photo above 1080 px on its shorter side (Postiz learnt it in production). */
async function checkPhotoSizes(files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  const { default: sharp } = await import('sharp');
  for (const file of files) {
    const { width = 0, height = 0 } = await sharp(file).metadata();
    if (Math.min(width, height) > 1080) {
      throw new UsageError(`${file} is ${width}x${height}: TikTok takes photos at most 1080 px on the shorter side`);
    }
  }
}

async function postInfoFor(
  o: PublishOptions,
  creator: CreatorInfo | null,
  choices: PostChoices,
  video: LocalVideo | null,
  text: string | null,
): Promise<PhotoPostInfo | VideoPostInfo | null> {
  if (o.kind === 'photos') return photoPostInfo(creator, choices, text ?? choices.title);
  if (!creator || !video) return null;
  const duration = o.probeDuration ? await o.probeDuration(video.path) : 0;
  return videoPostInfo(creator, choices, duration);
}

async function initPost(
  api: TikTokApi,
  o: { kind: PostKind; mode: PostMode; plan: ChunkPlan | null; postInfo: PhotoPostInfo | VideoPostInfo | null; urls: string[] },
): Promise<{ publishId: string; uploadUrl?: string }> {
  if (o.kind === 'photos') {
    const init = await initPhotos(api, { mode: o.mode, urls: o.urls, postInfo: o.postInfo as PhotoPostInfo });
    return { publishId: init.publish_id };
  }
  if (!o.plan) throw new Error('a video post needs its chunk plan');
  const init = o.postInfo ? await initDirectVideo(api, o.plan, o.postInfo as VideoPostInfo) : await initInboxVideo(api, o.plan);
  return { publishId: init.publish_id, uploadUrl: init.upload_url };
}

/**
 * What TikTok has of a crashed run's publish id. Null means send it (again): TikTok does not know
 * the id, or the upload never completed (fewer bytes than the file), so that publish can never
 * finish and a fresh one is not a second post.
 */
async function resumeStatus(api: TikTokApi, publishId: string, plan: ChunkPlan | null): Promise<PostStatus | null> {
  let status: PostStatus;
  try {
    status = await fetchStatus(api, publishId);
  } catch (error) {
    if (error instanceof TikTokRefused && !['access_token_invalid', 'scope_not_authorized', 'auth_removed'].includes(error.code)) return null;
    throw error;
  }
  if (status.status === 'PROCESSING_UPLOAD' && plan && (status.uploaded_bytes ?? 0) < plan.size) return null;
  return status.status === 'FAILED' ? null : status;
}

/** The row's columns for a status TikTok reported. */
function rowPatch(status: PostStatus, now: Date): Partial<SlideGroupPost> {
  const at = now.toISOString();
  switch (status.status) {
    case 'SEND_TO_USER_INBOX':
      return { status: 'sent_to_inbox', finished_at: at };
    case 'PUBLISH_COMPLETE': {
      const id = status.publicaly_available_post_id?.[0];
      return { status: 'published', tiktok_post_id: id === undefined ? null : String(id), finished_at: at };
    }
    case 'FAILED':
      return { status: 'failed', fail_reason: status.fail_reason ?? 'internal', finished_at: at };
    default:
      return { status: 'processing' };
  }
}
