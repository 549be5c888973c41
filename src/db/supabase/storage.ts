import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { DetailedError } from 'tus-js-client';
import type { Project } from '../../auth/project.js';
import type { Bucket, ObjectBody, ObjectStore, StoredObject } from '../backend.js';
import { storageError } from './errors.js';
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

/** Objects through Supabase Storage with the user's token; the bucket policies do the isolation. */
export function supabaseStorage(client: SupabaseClient, project: Project, accessToken: string): ObjectStore {
  const fail = (error: { message: string; status?: number; statusCode?: string; name?: string }, key: string) =>
    storageError(project.url, error, key);

  async function listFolder(bucket: Bucket, folder: string, startsWith: string, into: StoredObject[]): Promise<void> {
    for (let offset = 0; ; offset += PAGE) {
      const { data, error } = await client.storage.from(bucket).list(folder, { limit: PAGE, offset, sortBy: { column: 'name', order: 'asc' } });
      if (error) throw fail(error, `${bucket}/${folder}`);
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

  return {
    async upload(bucket, key, body, options) {
      const upsert = Boolean(options.upsert);
      if ((await bodySize(body)) > STANDARD_UPLOAD_LIMIT) {
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
          });
        } catch (error) {
          throw fail(tusFailure(error as Error), `${bucket}/${key}`);
        }
        return;
      }
      const data = 'data' in body ? body.data : await readFile(body.path);
      const { error } = await client.storage.from(bucket).upload(key, data, { contentType: options.contentType, upsert });
      if (error) throw fail(error, `${bucket}/${key}`);
    },

    async download(bucket, key, toPath) {
      const { data, error } = await client.storage.from(bucket).download(key).asStream();
      if (error) throw fail(error, `${bucket}/${key}`);
      const partial = `${toPath}.part`;
      try {
        await pipeline(Readable.fromWeb(data as WebReadableStream<Uint8Array>), createWriteStream(partial));
        await rename(partial, toPath);
      } catch (cause) {
        await rm(partial, { force: true });
        throw cause;
      }
    },

    async list(bucket, prefix) {
      const cut = prefix.lastIndexOf('/');
      const found: StoredObject[] = [];
      await listFolder(bucket, cut < 0 ? '' : prefix.slice(0, cut), prefix.slice(cut + 1), found);
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async remove(bucket, keys) {
      if (keys.length === 0) return;
      const { error } = await client.storage.from(bucket).remove(keys);
      if (error) throw fail(error, `${bucket}/${keys[0]}`);
    },

    async signedUrl(bucket, key, expiresInSeconds) {
      const { data, error } = await client.storage.from(bucket).createSignedUrl(key, expiresInSeconds);
      if (error) throw fail(error, `${bucket}/${key}`);
      return data.signedUrl;
    },
  };
}
