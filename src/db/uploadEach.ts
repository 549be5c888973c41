import pLimit from 'p-limit';
import type { Bucket, ObjectStore, Upload, UploadManyOptions, UploadOutcome } from './backend.js';

/** `uploadMany` as one `upload` each, side by side: for a store whose uploads are requests. */
export function uploadEach(
  upload: ObjectStore['upload'],
  bucket: Bucket,
  uploads: Upload[],
  options: UploadManyOptions,
): Promise<UploadOutcome[]> {
  const limit = pLimit(options.concurrency);
  return Promise.all(
    uploads.map((u, i) =>
      limit(async (): Promise<UploadOutcome> => {
        try {
          await upload(bucket, u.key, u.body, { contentType: u.contentType });
          options.onSent?.(i);
          return null;
        } catch (error) {
          return asError(error);
        }
      }),
    ),
  );
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
