import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { StoredSession } from '../../src/auth/session.js';
import { BackendUnavailable, DatabaseError, EXIT, exitCodeOf, SlidesError } from '../../src/errors.js';
import { stubbedProject, type StubbedProject } from './fixture.js';

let p: StubbedProject;
let dir: string;
beforeAll(async () => {
  p = await stubbedProject();
  dir = mkdtempSync(join(tmpdir(), 'slides-resilience-'));
});
afterEach(() => {
  p.stub.faults.length = 0;
  p.stub.afterResponse = undefined;
  expect(p.stub.violations).toEqual([]);
});
afterAll(async () => {
  await p.stub.close();
  rmSync(dir, { recursive: true, force: true });
});

const since = (mark: number, method: string, path: RegExp) => p.stub.requests.slice(mark).filter((r) => r.method === method && path.test(r.path));
const OBJECT = /^\/storage\/v1\/object\/Sources\//;

describe('Storage retries transient failures, never a 4xx', () => {
  test('an upload after a dropped connection and a 500 lands on the third try', async () => {
    const b = await p.backendFor();
    const key = `${b.identity.userId}/retried.jpg`;
    p.stub.faults.push({ method: 'POST', path: OBJECT, times: 1, reply: 'drop' }, { method: 'POST', path: OBJECT, times: 1, reply: 500 });
    const mark = p.stub.requests.length;
    await b.storage.upload('Sources', key, { data: Buffer.from('photo') }, { contentType: 'image/jpeg' });
    expect(since(mark, 'POST', OBJECT)).toHaveLength(3);
    await b.storage.download('Sources', key, join(dir, 'retried.jpg'));
    expect(readFileSync(join(dir, 'retried.jpg'), 'utf8')).toBe('photo');
  });

  test('an upload whose reply was lost after it landed is not mistaken for a taken key', async () => {
    const b = await p.backendFor();
    const key = `${b.identity.userId}/lost-reply.jpg`;
    p.stub.faults.push({ method: 'POST', path: OBJECT, times: 1, reply: 'lose' });
    const mark = p.stub.requests.length;
    await b.storage.upload('Sources', key, { data: Buffer.from('once') }, { contentType: 'image/jpeg' });
    expect(since(mark, 'POST', OBJECT)).toHaveLength(2);
  });

  test('a download cut off half-way is fetched again and arrives whole', async () => {
    const b = await p.backendFor();
    const key = `${b.identity.userId}/cut.bin`;
    const bytes = randomBytes(256 * 1024);
    await b.storage.upload('Sources', key, { data: bytes }, { contentType: 'application/octet-stream' });
    p.stub.faults.push({ method: 'GET', path: OBJECT, times: 1, reply: 'cut' }, { method: 'GET', path: OBJECT, times: 1, reply: 429 });
    const mark = p.stub.requests.length;
    await b.storage.download('Sources', key, join(dir, 'cut.bin'));
    expect(readFileSync(join(dir, 'cut.bin')).equals(bytes)).toBe(true);
    expect(since(mark, 'GET', OBJECT)).toHaveLength(3);
  });

  test('a 4xx is answered at once: one request, no retry', async () => {
    const b = await p.backendFor();
    const key = `${b.identity.userId}/refused.jpg`;
    await b.storage.upload('Sources', key, { data: Buffer.from('x') }, { contentType: 'image/jpeg' });
    p.stub.faults.push({ method: 'GET', path: OBJECT, times: 5, reply: 400 });
    const mark = p.stub.requests.length;
    await expect(b.storage.download('Sources', key, join(dir, 'refused.jpg'))).rejects.toBeInstanceOf(SlidesError);
    expect(since(mark, 'GET', OBJECT)).toHaveLength(1);
    p.stub.faults.length = 0;
    const missing = p.stub.requests.length;
    await expect(b.storage.download('Sources', `${b.identity.userId}/none.jpg`, join(dir, 'none.jpg'))).rejects.toBeInstanceOf(DatabaseError);
    expect(since(missing, 'GET', OBJECT)).toHaveLength(1);
  });

  test('a resumable upload goes on after a 429 and a dropped PATCH', async () => {
    const b = await p.backendFor();
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(7 * 1024 * 1024));
    const tus = /^\/storage\/v1\/upload\/resumable\//;
    p.stub.faults.push({ method: 'PATCH', path: tus, times: 1, reply: 429 }, { method: 'PATCH', path: tus, times: 1, reply: 'drop' });
    await b.storage.upload('Sources', `${b.identity.userId}/big.mp4`, { path: big }, { contentType: 'video/mp4' });
    await b.storage.download('Sources', `${b.identity.userId}/big.mp4`, join(dir, 'big-back.bin'));
    expect(readFileSync(join(dir, 'big-back.bin')).equals(readFileSync(big))).toBe(true);
  });

  test('5xx past the last retry is BackendUnavailable (exit 5) after 1 + 3 tries', async () => {
    const b = await p.backendFor();
    p.stub.faults.push({ method: 'POST', path: OBJECT, times: 10, reply: 503 });
    const mark = p.stub.requests.length;
    const error = await b.storage.upload('Sources', `${b.identity.userId}/down.jpg`, { data: Buffer.from('x') }, { contentType: 'image/jpeg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(exitCodeOf(error)).toBe(EXIT.unavailable);
    expect(since(mark, 'POST', OBJECT)).toHaveLength(4);
  });
});

describe('row reads retry transient failures; writes never do', () => {
  const TABLE = /^\/rest\/v1\/source_files$/;

  test('a read that meets a 500 and a dropped connection answers on the third try', async () => {
    const b = await p.backendFor();
    p.stub.faults.push({ method: 'GET', path: TABLE, times: 1, reply: 500 }, { method: 'GET', path: TABLE, times: 1, reply: 'drop' });
    const mark = p.stub.requests.length;
    expect(await b.rows.select('source_files')).toEqual([]);
    expect(since(mark, 'GET', TABLE)).toHaveLength(3);
  });

  test('an insert whose connection drops is not sent again', async () => {
    const b = await p.backendFor();
    p.stub.faults.push({ method: 'POST', path: TABLE, times: 1, reply: 'drop' });
    const mark = p.stub.requests.length;
    const error = await b.rows.insert('source_files', [{ file_path: 'x', file_type: 'image', sha256: 'e'.repeat(64) }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(since(mark, 'POST', TABLE)).toHaveLength(1);
  });
});

describe('the session is refreshed before it expires, however long the work', () => {
  const TOKEN = /^\/auth\/v1\/token$/;

  test('a resumable upload whose token expires after its first chunk refreshes and finishes', async () => {
    const refreshed: StoredSession[] = [];
    const b = await p.backendFor(undefined, { expiresIn: 600, onRefresh: (s) => refreshed.push(s) });
    const big = join(dir, 'long.bin');
    writeFileSync(big, randomBytes(13 * 1024 * 1024));
    p.stub.afterResponse = (r) => {
      if (r.method !== 'POST' || r.path !== '/storage/v1/upload/resumable') return;
      p.stub.afterResponse = undefined;
      p.stub.advanceClock(3600);
    };
    const mark = p.stub.requests.length;
    await b.storage.upload('Exports', `${b.identity.userId}/g/video.mp4`, { path: big }, { contentType: 'video/mp4' });
    const create = since(mark, 'POST', /^\/storage\/v1\/upload\/resumable$/);
    const patches = since(mark, 'PATCH', /^\/storage\/v1\/upload\/resumable\//);
    expect(create).toHaveLength(1);
    expect(patches).toHaveLength(2);
    expect(refreshed).toHaveLength(1);
    expect(patches.every((r) => r.headers.authorization === `Bearer ${refreshed[0]?.access_token}`)).toBe(true);
    expect(create[0]?.headers.authorization).not.toBe(patches[0]?.headers.authorization);
  });

  test('rows and uploads on either side of the expiry go on, and the rotated session is handed back to be kept', async () => {
    const refreshed: StoredSession[] = [];
    const b = await p.backendFor(undefined, { expiresIn: 600, onRefresh: (s) => refreshed.push(s) });
    const uid = b.identity.userId;
    await b.storage.upload('Exports', `${uid}/g/slide-01.jpg`, { data: Buffer.from('1') }, { contentType: 'image/jpeg' });
    p.stub.advanceClock(3600);
    const mark = p.stub.requests.length;
    await Promise.all([
      b.storage.upload('Exports', `${uid}/g/slide-02.jpg`, { data: Buffer.from('2') }, { contentType: 'image/jpeg' }),
      b.rows.insert('media_sessions', [{ is_active: false }]),
      b.rows.select('media_sessions'),
    ]);
    expect(since(mark, 'POST', TOKEN)).toHaveLength(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]?.user.id).toBe(uid);
    expect(refreshed[0]?.expires_at).toBeGreaterThan(p.stub.now() + 600);
  });

  test('a refresh that fails leaves the token as it was: the request says to sign in again (exit 3)', async () => {
    const b = await p.backendFor(undefined, { expiresIn: 600 });
    p.stub.advanceClock(3600);
    p.stub.faults.push({ method: 'POST', path: TOKEN, times: 1, reply: 400 });
    const error = await b.rows.select('media_sessions').catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(EXIT.auth);
  });
});
