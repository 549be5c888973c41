import { createReadStream } from 'node:fs';
import { Upload, type DetailedError } from 'tus-js-client';
import { isTransientStatus } from './retry.js';

/** Supabase's resumable endpoint accepts exactly 6 MiB chunks (all but the last). */
export const TUS_CHUNK_SIZE = 6 * 1024 * 1024;

export interface ResumableUpload {
  endpoint: string;
  /** Asked for before every request, so a long upload never sends an expired token. */
  accessToken: () => Promise<string>;
  anonKey: string;
  bucket: string;
  key: string;
  contentType: string;
  upsert: boolean;
  body: { path: string } | { data: Uint8Array };
  /** Waits in ms between tries of a request that failed transiently. */
  retryDelays: number[];
}

/**
 * The hosted project's direct storage host is the one Supabase recommends for large uploads;
 * self-hosted and local stacks serve TUS under the API URL.
 */
export function resumableEndpoint(url: string): string {
  const u = new URL(url);
  if (u.hostname.endsWith('.supabase.co') && !u.hostname.includes('.storage.')) {
    u.hostname = u.hostname.replace(/\.supabase\.co$/, '.storage.supabase.co');
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}/storage/v1/upload/resumable`;
}

/** Creating an upload (POST) that answers 409 means the key is taken; retrying cannot help. */
function shouldRetry(error: DetailedError): boolean {
  const status = error.originalResponse?.getStatus() ?? 0;
  if (status === 409 && error.originalRequest?.getMethod() === 'POST') return false;
  return isTransientStatus(status) || status === 409 || status === 423;
}

/** Uploads with tus-js-client as Supabase documents it; rejects with tus's DetailedError. */
export function uploadResumable(o: ResumableUpload): Promise<void> {
  const source = 'data' in o.body ? Buffer.from(o.body.data.buffer, o.body.data.byteOffset, o.body.data.byteLength) : createReadStream(o.body.path);
  return new Promise((resolve, reject) => {
    const upload = new Upload(source as Buffer, {
      endpoint: o.endpoint,
      retryDelays: o.retryDelays,
      headers: { apikey: o.anonKey, 'x-upsert': String(o.upsert) },
      onBeforeRequest: async (req) => req.setHeader('authorization', `Bearer ${await o.accessToken()}`),
      uploadDataDuringCreation: true,
      removeFingerprintOnSuccess: true,
      metadata: { bucketName: o.bucket, objectName: o.key, contentType: o.contentType, cacheControl: '3600' },
      chunkSize: TUS_CHUNK_SIZE,
      onShouldRetry: shouldRetry,
      onError: reject,
      onSuccess: () => resolve(),
    });
    upload.start();
  });
}
