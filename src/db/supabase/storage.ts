import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { DetailedError } from 'tus-js-client';
import type { Project } from '../../auth/project.js';
import type { Bucket, ObjectBody, ObjectStore, StoredObject } from '../backend.js';
import { sha256OffThread } from '../../sha256Pool.js';
import { uploadEach } from '../uploadEach.js';
import { storageError, type StorageFailure } from './errors.js';
import { isConnectionError, isTransientStatus, TransientFailure, withRetry, type RetryPolicy } from './retry.js';
import { resumableEndpoint, TUS_CHUNK_SIZE, uploadResumable } from './tus.js';

/** Above this, Supabase recommends (and for big files requires) a resumable upload. */
export const STANDARD_UPLOAD_LIMIT = TUS_CHUNK_SIZE;
const PAGE = 1000;

interface ListEntry {
  name: string;
  id: string | null;
  metadata: { size?: number; mimetype?: string } | null;
}

function tusFailure(error: Error | DetailedError): { message: string; status: number; name?: string } {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return { message: error.message, status: 0, name: 'StorageUnknownError' };
  let message = response.getBody() || error.message;
  try {
    message = (JSON.parse(message) as { message?: string }).message ?? message;
  } catch {
    // a plain-text body is the message itself
  }
  return { message, status: response.getStatus() };
}

async function bodySize(body: ObjectBody): Promise<number> {
  return 'data' in body ? body.data.byteLength : (await stat(body.path)).size;
}

/** Storage's own failures worth another try: no reply, a server error, a rate limit. */
function transient(error: StorageFailure): boolean {
  return error.name === 'StorageUnknownError' || isTransientStatus(error.status ?? 0);
}

function isConflict(error: StorageFailure): boolean {
  return error.status === 409 || error.statusCode === '409';
}

/**
 * Objects through Supabase Storage with the user's token (asked for before each request, so it is
 * never stale); the bucket policies do the isolation. Every call retries transient failures.
 */
export function supabaseStorage(client: SupabaseClient, project: Project, accessToken: () => Promise<string>, policy: RetryPolicy): ObjectStore {
  const fail = (error: StorageFailure, key: string) => storageError(project.url, error, key);

  /** One Storage call, retried while it fails transiently; `accept` may turn a failure into success. */
  function call<T>(key: string, op: (attempt: number) => Promise<{ data: T; error: StorageFailure | null }>, accept?: (error: StorageFailure, attempt: number) => Promise<boolean>): Promise<T | null> {
    return withRetry(
      async (attempt) => {
        const { data, error } = await op(attempt);
        if (!error) return data;
        if (accept && (await accept(error, attempt))) return null;
        if (transient(error)) throw new TransientFailure(error);
        throw fail(error, key);
      },
      (error: StorageFailure) => fail(error, key),
      policy,
    );
  }

  async function listFolder(bucket: Bucket, folder: string, startsWith: string, into: StoredObject[]): Promise<void> {
    for (let offset = 0; ; offset += PAGE) {
      const data = await call(`${bucket}/${folder}`, () => client.storage.from(bucket).list(folder, { limit: PAGE, offset, sortBy: { column: 'name', order: 'asc' } }));
      const entries = (data ?? []) as ListEntry[];
      for (const entry of entries) {
        if (!entry.name.startsWith(startsWith)) continue;
        const key = folder ? `${folder}/${entry.name}` : entry.name;
        // Storage lists a folder as an entry without an id.
        if (entry.id === null) await listFolder(bucket, key, '', into);
        else into.push({ key, size: entry.metadata?.size ?? 0, contentType: entry.metadata?.mimetype ?? null });
      }
      if (entries.length < PAGE) return;
    }
  }

  async function sizeOf(bucket: Bucket, key: string): Promise<number | undefined> {
    const cut = key.lastIndexOf('/');
    const found: StoredObject[] = [];
    await listFolder(bucket, key.slice(0, Math.max(0, cut)), key.slice(cut + 1), found);
    return found.find((o) => o.key === key)?.size;
  }

  const store: ObjectStore = {
    // The file is sent from where it is: a copy made beside it would only be read again.
    ingest: async (path) => ({ sha256: await sha256OffThread(path), body: { path }, release: async () => undefined }),
    uploadMany: (bucket, uploads, options) => uploadEach(store.upload, bucket, uploads, options),

    async upload(bucket, key, body, options) {
      const upsert = Boolean(options.upsert);
      const size = await bodySize(body);
      if (size > STANDARD_UPLOAD_LIMIT) {
        try {
          await uploadResumable({
            endpoint: resumableEndpoint(project.url),
            accessToken,
            anonKey: project.anonKey,
            bucket,
            key,
            contentType: options.contentType,
            upsert,
            body,
            // tus resumes from the server's offset, so its first retry need not wait.
            retryDelays: [0, ...Array.from({ length: policy.retries }, (_, i) => policy.minTimeout * 2 ** i)],
          });
        } catch (error) {
          throw fail(tusFailure(error as Error), `${bucket}/${key}`);
        }
        return;
      }
      const data = 'data' in body ? body.data : await readFile(body.path);
      // A retry that finds the key taken, with our size, is our own earlier attempt whose reply was lost.
      const landed = async (error: StorageFailure, attempt: number) => attempt > 1 && isConflict(error) && (await sizeOf(bucket, key)) === size;
      await call(`${bucket}/${key}`, () => client.storage.from(bucket).upload(key, data, { contentType: options.contentType, upsert }), landed);
    },

    async download(bucket, key, toPath) {
      const partial = `${toPath}.part`;
      // The whole download is one attempt: a body cut off half-way is fetched again from the start.
      await call(`${bucket}/${key}`, async () => {
        const { data, error } = await client.storage.from(bucket).download(key).asStream();
        if (error) return { data: null, error };
        try {
          await pipeline(Readable.fromWeb(data as WebReadableStream<Uint8Array>), createWriteStream(partial));
          return { data: null, error: null };
        } catch (cause) {
          await rm(partial, { force: true });
          if (isConnectionError(cause)) return { data: null, error: { message: String(cause), name: 'StorageUnknownError' } };
          throw cause;
        }
      });
      await rename(partial, toPath);
    },

    async list(bucket, prefix) {
      const cut = prefix.lastIndexOf('/');
      const found: StoredObject[] = [];
      await listFolder(bucket, cut < 0 ? '' : prefix.slice(0, cut), prefix.slice(cut + 1), found);
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async remove(bucket, keys) {
      if (keys.length === 0) return;
      await call(`${bucket}/${keys[0]}`, () => client.storage.from(bucket).remove(keys));
    },

    async signedUrl(bucket, key, expiresInSeconds) {
      const data = await call(`${bucket}/${key}`, () => client.storage.from(bucket).createSignedUrl(key, expiresInSeconds));
      return (data as { signedUrl: string }).signedUrl;
    },
  };
  return store;
}
