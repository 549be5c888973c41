/**
 * The Content Posting API half of the fake TikTok: creator_info, inbox/direct/photo init, the
 * chunked upload (sizes, count, order and Content-Range checked as TIKTOK.md says), a status state
 * machine, per-token per-endpoint rate limits answering 429, and the error codes, injectable.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CreatorInfo } from '../../../src/tiktok/api/posting.js';
import { json, type FakeRequest, type FakeTikTok, type IssuedToken } from './server.js';

const MB = 1024 * 1024;
const MIN_CHUNK = 5 * MB;
const MAX_CHUNK = 64 * MB;
const MAX_LAST_CHUNK = 128 * MB;

export type FakeBucket = 'init' | 'creatorInfo' | 'status';
export type FakePostStatus = 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'SEND_TO_USER_INBOX' | 'PUBLISH_COMPLETE' | 'FAILED';

export interface FakePost {
  publishId: string;
  kind: 'inbox' | 'direct' | 'photo';
  openId: string;
  postMode?: string;
  postInfo: Record<string, unknown> | null;
  sourceInfo: Record<string, unknown>;
  videoSize: number;
  chunkSize: number;
  chunkCount: number;
  /** Bytes received in order so far, and the chunks that carried them. */
  received: number;
  chunks: { range: string; bytes: number }[];
  /** Polls answered since the upload (or pull) finished. */
  pollsSinceDone: number;
  status: FakePostStatus;
  failReason?: string;
  postId?: string;
  uploadExpired: boolean;
}

export interface FakePosting {
  creator: CreatorInfo;
  readonly posts: FakePost[];
  /** Photo URLs must start with one of these (TikTok's verified domains / URL prefixes). */
  verifiedPrefixes: string[];
  /** Status polls after the upload completes before the post reaches its end state. */
  pollsUntilDone: number;
  limits: Record<FakeBucket, number>;
  /** The next `times` calls of `bucket` answer 429 rate_limit_exceeded, with Retry-After when given. */
  throttle(bucket: FakeBucket, times: number, retryAfterSeconds?: number): void;
  /** The next init answers this error code (HTTP status as TikTok sends it, 200 for cap errors). */
  failNextInit(code: string, httpStatus?: number): void;
  /** The next post ends FAILED with this reason. */
  failNextPost(reason: string): void;
  /** Chunk `index` answers `status` (500, 403…) `times` times before being accepted. */
  failChunk(index: number, status: number, times?: number): void;
  /** Awaited before a chunk is answered (tests hold or kill the client there). */
  beforeChunk?: (post: FakePost, index: number) => void | Promise<void>;
  /** Posts that reached SEND_TO_USER_INBOX or PUBLISH_COMPLETE. */
  finished(): FakePost[];
}

export const DEFAULT_CREATOR: CreatorInfo = {
  creator_avatar_url: 'https://example.invalid/avatar.jpg',
  creator_username: 'sunny.slides',
  creator_nickname: 'Sunny Slides',
  privacy_level_options: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
  comment_disabled: false,
  duet_disabled: false,
  stitch_disabled: true,
  max_video_post_duration_sec: 600,
};

const SCOPES: Record<string, string[]> = {
  creatorInfo: ['video.publish'],
  inbox: ['video.upload'],
  direct: ['video.publish'],
  photo: ['video.upload', 'video.publish'],
  status: ['video.upload', 'video.publish'],
};

function fail(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { data: {}, error: { code, message, log_id: `fake-${randomUUID().slice(0, 8)}` } }, headers);
}

function ok(res: ServerResponse, data: unknown): void {
  json(res, 200, { data, error: { code: 'ok', message: '', log_id: `fake-${randomUUID().slice(0, 8)}` } });
}

export function addPostingRoutes(fake: FakeTikTok): FakePosting {
  const posts: FakePost[] = [];
  const calls = new Map<string, number[]>();
  const throttles: Record<FakeBucket, { times: number; retryAfter?: number }> = {
    init: { times: 0 },
    creatorInfo: { times: 0 },
    status: { times: 0 },
  };
  let nextInitError: { code: string; status: number } | null = null;
  let nextPostFailure: string | null = null;
  const chunkFaults = new Map<number, { status: number; times: number }>();

  const posting: FakePosting = {
    creator: { ...DEFAULT_CREATOR, privacy_level_options: [...DEFAULT_CREATOR.privacy_level_options] },
    posts,
    verifiedPrefixes: [],
    pollsUntilDone: 1,
    limits: { init: 6, creatorInfo: 20, status: 30 },
    throttle: (bucket, times, retryAfter) => void (throttles[bucket] = { times, retryAfter }),
    failNextInit: (code, status = 400) => void (nextInitError = { code, status }),
    failNextPost: (reason) => void (nextPostFailure = reason),
    failChunk: (index, status, times = 1) => void chunkFaults.set(index, { status, times }),
    finished: () => posts.filter((p) => p.status === 'SEND_TO_USER_INBOX' || p.status === 'PUBLISH_COMPLETE'),
  };

  /** The token's holder, or an answer already sent (bad token, missing scope, over a limit). */
  function admit(req: FakeRequest, res: ServerResponse, bucket: FakeBucket, scope: string): (IssuedToken & { token: string }) | null {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const issued = token ? fake.accessTokens.get(token) : undefined;
    if (!token || !issued || issued.revoked || issued.expiresAt <= Date.now()) {
      fail(res, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
      return null;
    }
    if (!SCOPES[scope]?.some((s) => issued.scopes.includes(s))) {
      fail(res, 401, 'scope_not_authorized', `The user did not authorize the scope required (${SCOPES[scope]?.join(' or ')}).`);
      return null;
    }
    const t = throttles[bucket];
    if (t.times > 0) {
      t.times -= 1;
      fail(res, 429, 'rate_limit_exceeded', 'Rate limit exceeded', t.retryAfter === undefined ? {} : { 'retry-after': String(t.retryAfter) });
      return null;
    }
    const key = `${token} ${bucket}`;
    const now = Date.now();
    const recent = (calls.get(key) ?? []).filter((at) => at > now - 60_000);
    if (recent.length >= posting.limits[bucket]) {
      const retryAfter = Math.ceil(((recent[0] as number) + 60_000 - now) / 1000);
      fail(res, 429, 'rate_limit_exceeded', 'Rate limit exceeded', { 'retry-after': String(retryAfter) });
      return null;
    }
    calls.set(key, [...recent, now]);
    return { ...issued, token };
  }

  function body(req: FakeRequest): Record<string, unknown> {
    try {
      return JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  /** TIKTOK.md's chunk rules; an error message when the declared plan breaks them. */
  function chunkError(size: number, chunk: number, count: number): string | null {
    if (!Number.isInteger(size) || size <= 0) return 'video_size must be a positive integer';
    if (size < MIN_CHUNK) return chunk === size && count === 1 ? null : 'a video under 5 MB goes whole: chunk_size = video_size, 1 chunk';
    if (chunk < MIN_CHUNK || chunk > MAX_CHUNK) return 'chunk_size must be 5–64 MB';
    if (count !== Math.floor(size / chunk)) return 'total_chunk_count must be floor(video_size / chunk_size)';
    if (count < 1 || count > 1000) return 'total_chunk_count must be 1–1000';
    if (size - (count - 1) * chunk > MAX_LAST_CHUNK) return 'the last chunk may not exceed 128 MB';
    return null;
  }

  function takeInitError(res: ServerResponse): boolean {
    if (!nextInitError) return false;
    const e = nextInitError;
    nextInitError = null;
    fail(res, e.status, e.code, `fake: ${e.code}`);
    return true;
  }

  function videoInit(kind: 'inbox' | 'direct') {
    return (req: FakeRequest, res: ServerResponse) => {
      const who = admit(req, res, 'init', kind);
      if (!who) return;
      if (takeInitError(res)) return;
      const b = body(req);
      const source = (b.source_info ?? {}) as Record<string, unknown>;
      if (source.source !== 'FILE_UPLOAD') return fail(res, 400, 'invalid_params', 'source must be FILE_UPLOAD');
      const size = Number(source.video_size);
      const chunk = Number(source.chunk_size);
      const count = Number(source.total_chunk_count);
      const bad = chunkError(size, chunk, count);
      if (bad) return fail(res, 400, 'invalid_params', bad);
      let postInfo: Record<string, unknown> | null = null;
      if (kind === 'inbox' && b.post_info !== undefined) return fail(res, 400, 'invalid_params', 'inbox uploads take source_info only');
      if (kind === 'direct') {
        postInfo = (b.post_info ?? {}) as Record<string, unknown>;
        const refused = postInfoError(postInfo, false);
        if (refused) return fail(res, 400, refused.code, refused.message);
      }
      const post = newPost(kind, who.openId, postInfo, source, { size, chunk, count });
      fake.route('PUT', `/upload/${post.publishId}`, (r, s) => uploadChunk(post, r, s));
      ok(res, { publish_id: post.publishId, upload_url: `${fake.url}/upload/${post.publishId}` });
    };
  }

  function postInfoError(info: Record<string, unknown>, photo: boolean): { code: string; message: string } | null {
    const c = posting.creator;
    if (typeof info.privacy_level !== 'string' || !c.privacy_level_options.includes(info.privacy_level)) {
      return { code: 'privacy_level_option_mismatch', message: `privacy_level must be one of ${c.privacy_level_options.join(', ')}` };
    }
    if (c.comment_disabled && info.disable_comment === false) return { code: 'invalid_params', message: 'comments are disabled for this creator' };
    if (!photo && c.duet_disabled && info.disable_duet === false) return { code: 'invalid_params', message: 'duets are disabled for this creator' };
    if (!photo && c.stitch_disabled && info.disable_stitch === false) return { code: 'invalid_params', message: 'stitches are disabled for this creator' };
    if (info.brand_content_toggle === true && info.privacy_level === 'SELF_ONLY') {
      return { code: 'invalid_params', message: 'branded content cannot be private' };
    }
    return null;
  }

  function newPost(
    kind: FakePost['kind'],
    openId: string,
    postInfo: Record<string, unknown> | null,
    sourceInfo: Record<string, unknown>,
    plan: { size: number; chunk: number; count: number },
  ): FakePost {
    const post: FakePost = {
      publishId: `v_pub_file~v2-1.${randomUUID().replace(/-/g, '')}`,
      kind,
      openId,
      postInfo,
      sourceInfo,
      videoSize: plan.size,
      chunkSize: plan.chunk,
      chunkCount: plan.count,
      received: 0,
      chunks: [],
      pollsSinceDone: 0,
      status: kind === 'photo' ? 'PROCESSING_DOWNLOAD' : 'PROCESSING_UPLOAD',
      uploadExpired: false,
    };
    if (nextPostFailure) {
      post.failReason = nextPostFailure;
      nextPostFailure = null;
    }
    posts.push(post);
    return post;
  }

  async function uploadChunk(post: FakePost, req: FakeRequest, res: ServerResponse): Promise<void> {
    if (post.uploadExpired) return void res.writeHead(403).end();
    const index = post.chunks.length;
    await posting.beforeChunk?.(post, index);
    const fault = chunkFaults.get(index);
    if (fault && fault.times > 0) {
      fault.times -= 1;
      if (fault.status === 403) post.uploadExpired = true;
      return void res.writeHead(fault.status).end();
    }
    if (req.headers['content-type'] !== 'video/mp4') return void res.writeHead(400).end('Content-Type must be video/mp4');
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    if (!m) return void res.writeHead(400).end('Content-Range missing or malformed');
    const [first, last, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const isLast = index === post.chunkCount - 1;
    const expected = isLast ? post.videoSize - index * post.chunkSize : post.chunkSize;
    if (
      total !== post.videoSize ||
      first !== post.received ||
      last - first + 1 !== expected ||
      req.body.length !== expected ||
      Number(req.headers['content-length']) !== expected ||
      index >= post.chunkCount
    ) {
      return void res.writeHead(416).end(`expected bytes ${post.received}-${post.received + expected - 1}/${post.videoSize}`);
    }
    post.received += req.body.length;
    post.chunks.push({ range: String(req.headers['content-range']), bytes: req.body.length });
    res.writeHead(isLast ? 201 : 206).end();
  }

  fake.route('POST', '/v2/post/publish/creator_info/query/', (req, res) => {
    if (!admit(req, res, 'creatorInfo', 'creatorInfo')) return;
    ok(res, posting.creator);
  });
  fake.route('POST', '/v2/post/publish/inbox/video/init/', videoInit('inbox'));
  fake.route('POST', '/v2/post/publish/video/init/', videoInit('direct'));
  fake.route('POST', '/v2/post/publish/content/init/', (req, res) => {
    const who = admit(req, res, 'init', 'photo');
    if (!who) return;
    if (takeInitError(res)) return;
    const b = body(req);
    const source = (b.source_info ?? {}) as Record<string, unknown>;
    const info = (b.post_info ?? {}) as Record<string, unknown>;
    const images = Array.isArray(source.photo_images) ? (source.photo_images as unknown[]) : [];
    if (b.media_type !== 'PHOTO' || source.source !== 'PULL_FROM_URL') return fail(res, 400, 'invalid_params', 'photos go as PHOTO by PULL_FROM_URL');
    if (b.post_mode !== 'DIRECT_POST' && b.post_mode !== 'MEDIA_UPLOAD') return fail(res, 400, 'invalid_params', 'post_mode');
    if (images.length === 0 || images.length > 35) return fail(res, 400, 'invalid_params', 'photo_images takes 1–35 URLs');
    if (source.photo_cover_index !== 0) return fail(res, 400, 'invalid_params', 'photo_cover_index');
    if (typeof info.title === 'string' && info.title.length > 90) return fail(res, 400, 'invalid_params', 'title ≤ 90');
    if (typeof info.description === 'string' && info.description.length > 4000) return fail(res, 400, 'invalid_params', 'description ≤ 4000');
    if ('disable_duet' in info || 'disable_stitch' in info) return fail(res, 400, 'invalid_params', 'photo posts have no duet or stitch');
    const unverified = images.find((u) => typeof u !== 'string' || !posting.verifiedPrefixes.some((p) => u.startsWith(p)));
    if (unverified !== undefined) return fail(res, 403, 'url_ownership_unverified', `not a verified URL prefix: ${String(unverified)}`);
    if (b.post_mode === 'DIRECT_POST') {
      const refused = postInfoError(info, true);
      if (refused) return fail(res, 400, refused.code, refused.message);
    } else if ('privacy_level' in info) return fail(res, 400, 'invalid_params', 'drafts carry no privacy_level');
    const post = newPost('photo', who.openId, info, source, { size: 0, chunk: 0, count: 0 });
    post.postMode = String(b.post_mode);
    ok(res, { publish_id: post.publishId });
  });
  fake.route('POST', '/v2/post/publish/status/fetch/', (req, res) => {
    const who = admit(req, res, 'status', 'status');
    if (!who) return;
    const publishId = body(req).publish_id;
    const post = posts.find((p) => p.publishId === publishId && p.openId === who.openId);
    if (!post) return fail(res, 400, 'invalid_publish_id', 'publish_id not found');
    const done = post.kind === 'photo' || post.received === post.videoSize;
    if (done && post.status.startsWith('PROCESSING')) {
      if (post.pollsSinceDone >= posting.pollsUntilDone) {
        if (post.failReason) post.status = 'FAILED';
        else if (post.kind === 'inbox' || post.postMode === 'MEDIA_UPLOAD') post.status = 'SEND_TO_USER_INBOX';
        else {
          post.status = 'PUBLISH_COMPLETE';
          post.postId = String(7_300_000_000_000_000_000n + BigInt(posts.indexOf(post)));
        }
      }
      post.pollsSinceDone += 1;
    }
    ok(res, {
      status: post.status,
      ...(post.status === 'FAILED' ? { fail_reason: post.failReason } : {}),
      ...(post.postId ? { publicaly_available_post_id: [post.postId] } : {}),
      uploaded_bytes: post.received,
    });
  });
  return posting;
}
