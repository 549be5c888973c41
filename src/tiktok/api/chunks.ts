const MB = 1024 * 1024;
/** Below this a video goes whole; above it every chunk but the last is exactly this big (TikTok: 5–64 MB). */
export const CHUNK_SIZE = 5 * MB;
const MAX_CHUNKS = 1000;
/** TikTok takes videos up to 4 GB. */
export const MAX_VIDEO_BYTES = 4 * 1024 * MB;

export interface ChunkPlan {
  size: number;
  chunkSize: number;
  count: number;
}

export interface ChunkRange {
  index: number;
  first: number;
  /** Inclusive, as Content-Range counts. */
  last: number;
}

/**
 * TikTok's FILE_UPLOAD rule: a file under 5 MB is one chunk of its own size; otherwise
 * `floor(size / chunk)` chunks, the last taking the remaining bytes.
 */
export function chunkPlan(size: number, chunkSize = CHUNK_SIZE): ChunkPlan {
  if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`a video of ${size} bytes cannot be uploaded`);
  if (size < chunkSize) return { size, chunkSize: size, count: 1 };
  const count = Math.floor(size / chunkSize);
  if (count > MAX_CHUNKS) throw new RangeError(`${size} bytes would take ${count} chunks; TikTok takes at most ${MAX_CHUNKS}`);
  return { size, chunkSize, count };
}

export function chunkRanges(plan: ChunkPlan): ChunkRange[] {
  return Array.from({ length: plan.count }, (_, index) => ({
    index,
    first: index * plan.chunkSize,
    last: index === plan.count - 1 ? plan.size - 1 : (index + 1) * plan.chunkSize - 1,
  }));
}

export function contentRange(range: ChunkRange, size: number): string {
  return `bytes ${range.first}-${range.last}/${size}`;
}
