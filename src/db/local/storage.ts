import { copyFile, mkdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseError, ObjectExists, SlidesError, SQLSTATE, UsageError } from '../../errors.js';
import type { Bucket, ObjectBody, ObjectStore, StoredObject } from '../backend.js';
import type { Transactor } from './reopening.js';
import { asUser } from './rows.js';

export function checkKey(key: string): void {
  const parts = key.split('/');
  if (!key || key.startsWith('/') || key.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new UsageError(`not a valid object key: ${JSON.stringify(key)}`);
  }
}

/**
 * Storage buckets as folders, with Supabase Storage's rules: an object exists when its row in
 * storage.objects does, the row is written under the bucket's RLS policies, and a taken key is
 * refused unless upserting. The file is put in place before the row commits, so a crash can
 * leave at most an unlisted file that the next upload of that key replaces.
 */
export function localObjectStore(db: Transactor, userId: string, root: string): ObjectStore {
  const fileOf = (bucket: Bucket, key: string) => join(root, bucket, ...key.split('/'));

  async function put(bucket: Bucket, key: string, body: ObjectBody, contentType: string, upsert: boolean) {
    checkKey(key);
    const target = fileOf(bucket, key);
    const size = 'path' in body ? (await stat(body.path)).size : body.data.byteLength;
    // The bytes are copied before the transaction, which PGlite runs one at a time: copies inside
    // it would queue every other upload behind this one's. Only the rename is inside.
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${randomUUID()}.part`;
    try {
      if ('path' in body) await copyFile(body.path, tmp);
      else await writeFile(tmp, body.data);
      await asUser(db, userId, async (tx) => {
        const metadata = JSON.stringify({ mimetype: contentType, size });
        const inserted = await tx.query(
          `INSERT INTO storage.objects (bucket_id, name, owner, metadata) VALUES ($1, $2, $3, $4)
           ON CONFLICT (bucket_id, name) DO NOTHING RETURNING id`,
          [bucket, key, userId, metadata],
        );
        if (inserted.rows.length === 0) {
          if (!upsert) throw new ObjectExists(`${bucket}/${key} already exists`);
          const updated = await tx.query(
            `UPDATE storage.objects SET metadata = $3, updated_at = now() WHERE bucket_id = $1 AND name = $2 RETURNING id`,
            [bucket, key, metadata],
          );
          if (updated.rows.length === 0) {
            throw new DatabaseError(`not allowed to overwrite ${bucket}/${key}`, SQLSTATE.insufficientPrivilege);
          }
        }
        await rename(tmp, target);
      });
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async function visible(bucket: Bucket, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await asUser(db, userId, async (tx) =>
      (await tx.query<{ name: string }>(`SELECT name FROM storage.objects WHERE bucket_id = $1 AND name = ANY($2)`, [bucket, keys]))
        .rows,
    );
    return new Set(rows.map((r) => r.name));
  }

  return {
    upload: (bucket, key, body, options) => put(bucket, key, body, options.contentType, options.upsert ?? false),

    async download(bucket, key, toPath) {
      checkKey(key);
      if (!(await visible(bucket, [key])).has(key)) {
        throw new SlidesError(`${bucket}/${key} not found`);
      }
      await mkdir(dirname(toPath), { recursive: true });
      const tmp = `${toPath}.${process.pid}.part`;
      await copyFile(fileOf(bucket, key), tmp);
      await rename(tmp, toPath);
    },

    async list(bucket, prefix): Promise<StoredObject[]> {
      const rows = await asUser(db, userId, async (tx) => {
        const found = await tx.query('SELECT 1 FROM storage.buckets WHERE id = $1', [bucket]);
        if (found.rows.length === 0) throw new SlidesError(`bucket ${bucket} not found`);
        return (
          await tx.query<{ name: string; metadata: { size?: number; mimetype?: string } | null }>(
            `SELECT name, metadata FROM storage.objects WHERE bucket_id = $1 AND starts_with(name, $2) ORDER BY name`,
            [bucket, prefix],
          )
        ).rows;
      });
      return rows.map((r) => ({ key: r.name, size: r.metadata?.size ?? 0, contentType: r.metadata?.mimetype ?? null }));
    },

    async remove(bucket, keys) {
      keys.forEach(checkKey);
      if (keys.length === 0) return;
      const removed = await asUser(db, userId, async (tx) =>
        (
          await tx.query<{ name: string }>(
            `DELETE FROM storage.objects WHERE bucket_id = $1 AND name = ANY($2) RETURNING name`,
            [bucket, keys],
          )
        ).rows,
      );
      await Promise.all(removed.map((r) => rm(fileOf(bucket, r.name), { force: true })));
    },

    async signedUrl(bucket, key) {
      checkKey(key);
      if (!(await visible(bucket, [key])).has(key)) throw new SlidesError(`${bucket}/${key} not found`);
      return pathToFileURL(fileOf(bucket, key)).href;
    },
  };
}
