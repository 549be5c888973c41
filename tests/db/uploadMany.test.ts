/**
 * The embedded store's uploadMany: the objects' bytes copied side by side, their rows written in
 * one transaction, and each object's own outcome (a taken key, a bad key, a file that cannot be
 * put in place) failing only that object. Then ingest: the copy made while hashing, which an
 * upload moves into place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, Upload } from '../../src/db/backend.js';
import { ObjectExists, UsageError } from '../../src/errors.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;
beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
});
afterEach(() => t.close());

const bucket = 'Sources';
const uploadOf = (key: string, text: string): Upload => ({ key: `${user.identity.userId}/${key}`, body: { data: new TextEncoder().encode(text) }, contentType: 'text/plain' });
const fileOf = (key: string) => join(t.storageDir, bucket, user.identity.userId, key);

/** Every `.part` left in the store's folders (none should be). */
function parts(): string[] {
  const dir = t.storageDir;
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.part')) : [];
}

describe('uploadMany on the embedded store', () => {
  it('stores every object, each listed with its size and readable, and reports each as sent', async () => {
    const sent: number[] = [];
    const uploads = Array.from({ length: 12 }, (_, i) => uploadOf(`o${i}.txt`, `object ${i}`.repeat(i + 1)));
    const outcomes = await user.storage.uploadMany(bucket, uploads, { concurrency: 3, onSent: (i) => sent.push(i) });

    expect(outcomes).toEqual(uploads.map(() => null));
    expect(sent.sort((a, b) => a - b)).toEqual(uploads.map((_, i) => i));
    const listed = await user.storage.list(bucket, `${user.identity.userId}/`);
    expect(listed.map((o) => [o.key, o.size])).toEqual(
      uploads.map((u) => [u.key, (u.body as { data: Uint8Array }).data.byteLength]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(readFileSync(fileOf('o3.txt'), 'utf8')).toBe('object 3'.repeat(4));
    expect(parts()).toEqual([]);
  });

  it('a taken key, a key given twice and a bad key fail alone; the others are stored', async () => {
    await user.storage.upload(bucket, `${user.identity.userId}/taken.txt`, { data: new TextEncoder().encode('first') }, { contentType: 'text/plain' });
    const outcomes = await user.storage.uploadMany(
      bucket,
      [uploadOf('a.txt', 'a'), uploadOf('taken.txt', 'second'), uploadOf('twice.txt', 'one'), uploadOf('twice.txt', 'two'), { ...uploadOf('x', 'x'), key: '../escape' }, uploadOf('b.txt', 'b')],
      { concurrency: 2 },
    );

    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toBeInstanceOf(ObjectExists);
    expect(outcomes[2]).toBeNull();
    expect(outcomes[3]).toBeInstanceOf(ObjectExists);
    expect(outcomes[4]).toBeInstanceOf(UsageError);
    expect(outcomes[5]).toBeNull();
    expect(readFileSync(fileOf('taken.txt'), 'utf8')).toBe('first');
    expect(readFileSync(fileOf('twice.txt'), 'utf8')).toBe('one');
    expect((await user.storage.list(bucket, '')).map((o) => o.key.split('/')[1])).toEqual(['a.txt', 'b.txt', 'taken.txt', 'twice.txt']);
    expect(parts()).toEqual([]);
  });

  it('an object that cannot be put in place fails alone, with no row: the others are stored', async () => {
    // A folder with a file in it where one object's file goes: its rename fails.
    mkdirSync(fileOf('blocked.txt'), { recursive: true });
    writeFileSync(join(fileOf('blocked.txt'), 'inside'), 'x');
    const outcomes = await user.storage.uploadMany(bucket, [uploadOf('a.txt', 'a'), uploadOf('blocked.txt', 'b'), uploadOf('c.txt', 'c')], { concurrency: 3 });

    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
    expect(outcomes[2]).toBeNull();
    expect((await user.storage.list(bucket, '')).map((o) => o.key.split('/')[1])).toEqual(['a.txt', 'c.txt']);
    expect(readFileSync(fileOf('a.txt'), 'utf8')).toBe('a');
    expect(readFileSync(fileOf('c.txt'), 'utf8')).toBe('c');
    expect(parts()).toEqual([]);
  });

  it("another user's folder is refused by its row's policy, and only that object fails", async () => {
    const other = await t.user();
    const outcomes = await user.storage.uploadMany(
      bucket,
      [uploadOf('mine.txt', 'm'), { key: `${other.identity.userId}/theirs.txt`, body: { data: new TextEncoder().encode('t') }, contentType: 'text/plain' }],
      { concurrency: 2 },
    );

    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toMatchObject({ sqlState: '42501' });
    expect(await other.storage.list(bucket, '')).toEqual([]);
    expect((await user.storage.list(bucket, '')).map((o) => o.key.split('/')[1])).toEqual(['mine.txt']);
    expect(parts()).toEqual([]);
  });
});

describe('ingest on the embedded store', () => {
  const incoming = () => join(t.storageDir, '.incoming');
  const waiting = () => (existsSync(incoming()) ? readdirSync(incoming()) : []);
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  function source(name: string, text: string): string {
    // Beside the buckets, where the store never looks.
    const dir = join(t.storageDir, 'given');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  }

  it('hashes and stages a copy in one read, which uploading moves into place; a release after that does nothing', async () => {
    const path = source('a.txt', 'the photo');
    const ingested = await user.storage.ingest(path, { stage: true });
    expect(ingested.sha256).toBe(sha('the photo'));
    expect(ingested.body).not.toEqual({ path });
    expect(waiting()).toHaveLength(1);

    const outcomes = await user.storage.uploadMany(bucket, [{ key: `${user.identity.userId}/a.txt`, body: ingested.body, contentType: 'text/plain' }], { concurrency: 2 });
    expect(outcomes).toEqual([null]);
    expect(readFileSync(fileOf('a.txt'), 'utf8')).toBe('the photo');
    expect(waiting()).toEqual([]);
    await ingested.release();
    expect(readFileSync(fileOf('a.txt'), 'utf8')).toBe('the photo');
    expect(readFileSync(path, 'utf8')).toBe('the photo');
  });

  it('a copy not uploaded is removed on release; a copy refused (a taken key) is removed by the upload', async () => {
    await user.storage.upload(bucket, `${user.identity.userId}/taken.txt`, { data: new TextEncoder().encode('first') }, { contentType: 'text/plain' });
    const unused = await user.storage.ingest(source('u.txt', 'unused'), { stage: true });
    const refused = await user.storage.ingest(source('r.txt', 'second'), { stage: true });
    expect(waiting()).toHaveLength(2);
    const [outcome] = await user.storage.uploadMany(bucket, [{ key: `${user.identity.userId}/taken.txt`, body: refused.body, contentType: 'text/plain' }], { concurrency: 1 });
    expect(outcome).toBeInstanceOf(ObjectExists);
    expect(readFileSync(fileOf('taken.txt'), 'utf8')).toBe('first');
    await unused.release();
    await refused.release();
    expect(waiting()).toEqual([]);
  });

  it('without staging it only hashes: the body is the file itself', async () => {
    const path = source('d.txt', 'dry run');
    const ingested = await user.storage.ingest(path, { stage: false });
    expect(ingested).toMatchObject({ sha256: sha('dry run'), body: { path } });
    expect(waiting()).toEqual([]);
  });

  it("sweeps the copies that processes no longer running left, and keeps a running one's", async () => {
    mkdirSync(incoming(), { recursive: true });
    // Above this machine's pid_max: no process has it.
    const dead = `${2 ** 22 + 1}.d0c5.part`;
    const alive = `${process.ppid}.a11e.part`;
    for (const name of [dead, alive, 'notes.txt']) writeFileSync(join(incoming(), name), 'left');
    const ingested = await user.storage.ingest(source('s.txt', 'swept'), { stage: true });
    expect(waiting().sort()).toEqual([alive, 'notes.txt', basename((ingested.body as { path: string }).path)].sort());
    await ingested.release();
  });
});
