import { copyFile, mkdir, readdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseError, ObjectExists, SlidesError, SQLSTATE, UsageError } from '../../errors.js';
import pLimit from 'p-limit';
import type { Bucket, Ingested, ObjectBody, ObjectStore, StoredObject, Upload, UploadManyOptions, UploadOutcome } from '../backend.js';
import { sha256OffThread } from '../../sha256Pool.js';
import { asError } from '../uploadEach.js';
import type { Transactor } from './reopening.js';
import { asUser, type Queryable } from './rows.js';

export function checkKey(key: string): void {
  const parts = key.split('/');
  if (!key || key.startsWith('/') || key.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new UsageError(`not a valid object key: ${JSON.stringify(key)}`);
  }
}

/** An object's bytes copied beside its place, waiting for its row. */
interface Staged {
  key: string;
  tmp: string;
  target: string;
  metadata: string;
}

/**
 * Storage buckets as folders, with Supabase Storage's rules: an object exists when its row in
 * storage.objects does, the row is written under the bucket's RLS policies, and a taken key is
 * refused unless upserting. The file is put in place before the row commits, so a crash can
 * leave at most an unlisted file that the next upload of that key replaces.
 */
export function localObjectStore(db: Transactor, userId: string, root: string): ObjectStore {
  const fileOf = (bucket: Bucket, key: string) => join(root, bucket, ...key.split('/'));
  // Objects' bytes on their way in: copies made by ingest, waiting to be uploaded (a rename) or
  // released, and copies an upload makes before its row. A process killed leaves its own there.
  const incoming = join(root, '.incoming');
  const staged = new Set<string>();
  let swept: Promise<void> | undefined;
  async function incomingFile(): Promise<string> {
    swept ??= sweepIncoming(incoming);
    await swept;
    return join(incoming, `${process.pid}.${randomUUID()}.part`);
  }

  async function ingest(path: string, options: { stage: boolean }): Promise<Ingested> {
    if (!options.stage) return { sha256: await sha256OffThread(path), body: { path }, release: async () => undefined };
    const copy = await incomingFile();
    const sha256 = await sha256OffThread(path, copy);
    staged.add(copy);
    return {
      sha256,
      body: { path: copy },
      release: async () => {
        if (staged.delete(copy)) await rm(copy, { force: true });
      },
    };
  }

  // The bytes are copied before the transaction, which PGlite runs one at a time: copies inside
  // it would queue every other upload behind this one's. Only the rename is inside.
  async function stage(bucket: Bucket, key: string, body: ObjectBody, contentType: string): Promise<Staged> {
    checkKey(key);
    const target = fileOf(bucket, key);
    const size = 'path' in body ? (await stat(body.path)).size : body.data.byteLength;
    await mkdir(dirname(target), { recursive: true });
    const metadata = JSON.stringify({ mimetype: contentType, size });
    if ('path' in body && staged.delete(body.path)) return { key, tmp: body.path, target, metadata };
    const tmp = await incomingFile();
    try {
      if ('path' in body) await copyFile(body.path, tmp);
      else await writeFile(tmp, body.data);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return { key, tmp, target, metadata };
  }

  /** The keys whose rows this inserted (a taken key's is not). */
  async function insertObjects(tx: Queryable, bucket: Bucket, staged: Staged[]): Promise<Set<string>> {
    const inserted = await tx.query<{ name: string }>(
      `INSERT INTO storage.objects (bucket_id, name, owner, metadata)
       SELECT $1, name, $2::uuid, metadata::jsonb FROM unnest($3::text[], $4::text[]) AS o(name, metadata)
       ON CONFLICT (bucket_id, name) DO NOTHING RETURNING name`,
      [bucket, userId, staged.map((s) => s.key), staged.map((s) => s.metadata)],
    );
    return new Set(inserted.rows.map((r) => r.name));
  }

  async function landOne(bucket: Bucket, s: Staged, upsert: boolean): Promise<void> {
    try {
      await asUser(db, userId, async (tx) => {
        if (!(await insertObjects(tx, bucket, [s])).has(s.key)) {
          if (!upsert) throw new ObjectExists(`${bucket}/${s.key} already exists`);
          const updated = await tx.query(
            `UPDATE storage.objects SET metadata = $3, updated_at = now() WHERE bucket_id = $1 AND name = $2 RETURNING id`,
            [bucket, s.key, s.metadata],
          );
          if (updated.rows.length === 0) {
            throw new DatabaseError(`not allowed to overwrite ${bucket}/${s.key}`, SQLSTATE.insufficientPrivilege);
          }
        }
        await rename(s.tmp, s.target);
      });
    } catch (error) {
      await rm(s.tmp, { force: true });
      throw error;
    }
  }

  /**
   * New objects' rows in one transaction (each costs ~1.5 ms on its own), their files moved into
   * place inside it. Should it fail whole (a row refused, a rename), each is tried on its own.
   */
  async function landMany(bucket: Bucket, staged: Staged[]): Promise<UploadOutcome[]> {
    if (staged.length === 0) return [];
    let outcomes: UploadOutcome[];
    try {
      outcomes = await asUser(db, userId, async (tx) => {
        const fresh = await insertObjects(tx, bucket, staged);
        const seen = new Set<string>();
        const decided = staged.map((s): UploadOutcome => {
          // A key given twice: the first takes it, as if one after the other.
          const first = !seen.has(s.key);
          seen.add(s.key);
          return first && fresh.has(s.key) ? null : new ObjectExists(`${bucket}/${s.key} already exists`);
        });
        const placing = staged.filter((_, i) => decided[i] === null);
        const moved = await Promise.allSettled(placing.map((s) => rename(s.tmp, s.target)));
        const failed = moved.find((m): m is PromiseRejectedResult => m.status === 'rejected');
        if (failed) {
          // The rows roll back: the files that moved go back, for each upload to be tried alone.
          await Promise.all(placing.map((s, i) => (moved[i]?.status === 'fulfilled' ? rename(s.target, s.tmp).catch(() => undefined) : undefined)));
          throw failed.reason;
        }
        return decided;
      });
    } catch {
      return Promise.all(staged.map((s) => landOne(bucket, s, false).then(() => null, asError)));
    }
    await Promise.all(staged.filter((_, i) => outcomes[i] !== null).map((s) => rm(s.tmp, { force: true })));
    return outcomes;
  }

  async function uploadMany(bucket: Bucket, uploads: Upload[], options: UploadManyOptions): Promise<UploadOutcome[]> {
    const limit = pLimit(options.concurrency);
    const staged = await Promise.all(
      uploads.map((u, i) =>
        limit(() =>
          stage(bucket, u.key, u.body, u.contentType).then((s) => {
            options.onSent?.(i);
            return s;
          }, asError),
        ),
      ),
    );
    const ready = staged.filter((s): s is Staged => !(s instanceof Error));
    const landed = await landMany(bucket, ready);
    let next = 0;
    return staged.map((s) => (s instanceof Error ? s : (landed[next++] ?? null)));
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
    ingest,
    upload: async (bucket, key, body, options) => landOne(bucket, await stage(bucket, key, body, options.contentType), options.upsert ?? false),
    uploadMany,

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

/** Removes the copies that processes no longer running left in `dir` (`<pid>.<uuid>.part`). */
async function sweepIncoming(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const left = (await readdir(dir)).filter((name) => {
    const pid = Number(name.split('.')[0]);
    return name.endsWith('.part') && Number.isInteger(pid) && pid !== process.pid && !running(pid);
  });
  await Promise.all(left.map((name) => rm(join(dir, name), { force: true })));
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
