import { open } from 'node:fs/promises';
import { messageOf, SlidesError } from '../../errors.js';
import { chunkRanges, contentRange, type ChunkPlan } from './chunks.js';
import { TikTokUnreachable } from './errors.js';
import { realWaiter, type Waiter } from './rateLimit.js';

/** The upload URL stopped working (403: it lives an hour): the caller initialises a new post. */
export class UploadUrlExpired extends SlidesError {}

export interface UploadEvents {
  onChunk?: (sent: { index: number; count: number; bytes: number; total: number }) => void;
  onRetry?: (retry: { index: number; status: number | string; ms: number }) => void;
}

const CHUNK_RETRIES = 4;

/**
 * PUTs the file to TikTok's upload_url chunk by chunk, in order, as `plan` says. A 5xx or a
 * dropped connection retries that chunk; 403 throws UploadUrlExpired; 416 or any other status fails.
 */
export async function uploadChunks(
  file: string,
  uploadUrl: string,
  plan: ChunkPlan,
  events: UploadEvents = {},
  waiter: Waiter = realWaiter,
): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let sent = 0;
    for (const range of chunkRanges(plan)) {
      const length = range.last - range.first + 1;
      const body = Buffer.alloc(length);
      const { bytesRead } = await handle.read(body, 0, length, range.first);
      if (bytesRead !== length) throw new Error(`${file} changed while uploading (read ${bytesRead} of ${length} bytes)`);
      await putChunk(uploadUrl, body, contentRange(range, plan.size), range.index, events, waiter);
      sent += length;
      events.onChunk?.({ index: range.index, count: plan.count, bytes: sent, total: plan.size });
    }
  } finally {
    await handle.close();
  }
}

async function putChunk(url: string, body: Buffer, range: string, index: number, events: UploadEvents, waiter: Waiter): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let status: number | string;
    try {
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'video/mp4', 'content-range': range },
        body,
      });
      await response.arrayBuffer();
      status = response.status;
      if (status === 201 || status === 206 || status === 200) return;
      if (status === 403) throw new UploadUrlExpired(`TikTok's upload URL expired (chunk ${index + 1})`);
      if (status < 500) throw new SlidesError(`TikTok refused chunk ${index + 1} (${range}) with HTTP ${status}`);
    } catch (error) {
      if (error instanceof SlidesError) throw error;
      status = messageOf(error);
    }
    if (attempt >= CHUNK_RETRIES) throw new TikTokUnreachable(`uploading chunk ${index + 1} to TikTok failed ${attempt + 1} times (last: ${status})`);
    const ms = 1_000 * 2 ** attempt;
    events.onRetry?.({ index, status, ms });
    await waiter.sleep(ms);
  }
}
