import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toStoredSession } from '../../src/auth/session.js';
import { supabaseBackend } from '../../src/db/supabase/open.js';
import { resumableEndpoint } from '../../src/db/supabase/tus.js';
import { AuthError, BackendUnavailable, EXIT, exitCodeOf, ObjectExists } from '../../src/errors.js';
import { uploadFolder } from '../../src/services/upload/uploadFolder.js';
import { photo } from '../upload/fixtures.js';
import { QUICK_RETRY, stubbedProject, type StubbedProject } from './fixture.js';

let p: StubbedProject;
let dir: string;
beforeAll(async () => {
  p = await stubbedProject();
  dir = mkdtempSync(join(tmpdir(), 'slides-adapter-'));
});
afterAll(async () => {
  await p.stub.close();
  rmSync(dir, { recursive: true, force: true });
});

const since = (mark: number) => p.stub.requests.slice(mark);

describe('supabase adapter on the wire', () => {
  test('rows go to PostgREST with the anon apikey and the user token as Bearer', async () => {
    const user = await p.stub.createUser();
    const session = p.stub.session(user);
    const backend = supabaseBackend(p.project, toStoredSession(session));
    const mark = p.stub.requests.length;
    await backend.rows.insert('media_sessions', [{ is_active: false }]);
    await backend.rows.select('media_sessions', { where: { is_active: false }, order: [{ column: 'started_at', ascending: false }], limit: 5 });
    const [insert, select] = since(mark);
    expect(insert?.method).toBe('POST');
    expect(insert?.path).toBe('/rest/v1/media_sessions');
    expect(insert?.headers.apikey).toBe(p.stub.anonKey);
    expect(insert?.headers.authorization).toBe(`Bearer ${session.access_token}`);
    expect(insert?.headers.prefer).toContain('return=representation');
    expect(insert?.headers.prefer).toContain('missing=default');
    expect(JSON.parse(insert?.body.toString() ?? '')).toEqual([{ is_active: false }]);
    expect(select?.method).toBe('GET');
    expect(Object.fromEntries(select?.query ?? [])).toEqual({ select: '*', is_active: 'eq.false', order: 'started_at.desc', limit: '5' });
    expect(p.stub.violations).toEqual([]);
  });

  test('a read past the row cap pages with offset and limit, counting, until every row is in, even where max-rows was lowered', async () => {
    const backend = await p.backendFor();
    const rows = Array.from({ length: 600 }, (_, i) => ({ file_path: `f${i}`, file_type: 'image' as const, sha256: `${i}`.padStart(64, '0') }));
    await backend.rows.insert('source_files', rows);
    p.stub.maxRows = 250;
    try {
      const mark = p.stub.requests.length;
      const all = await backend.rows.select('source_files', { order: [{ column: 'file_path' }] });
      expect(new Set(all.map((r) => r.sha256)).size).toBe(600);
      const reads = since(mark).filter((r) => r.method === 'GET');
      expect(reads.map((r) => r.query.get('offset'))).toEqual(['0', '250', '500']);
      expect(reads.every((r) => r.query.get('order') === 'file_path.asc,id.asc' && r.headers.prefer === 'count=exact')).toBe(true);
    } finally {
      p.stub.maxRows = 1000;
    }
  });

  test('onConflictIgnore is an upsert that ignores duplicates on the named columns', async () => {
    const backend = await p.backendFor();
    const mark = p.stub.requests.length;
    const row = { file_path: 'x', file_type: 'image' as const, sha256: 'a'.repeat(64) };
    await backend.rows.insert('source_files', [row], { onConflictIgnore: ['user_id', 'sha256'] });
    const [request] = since(mark);
    expect(request?.query.get('on_conflict')).toBe('user_id,sha256');
    expect(request?.headers.prefer).toContain('resolution=ignore-duplicates');
  });

  test('a file above 6 MB goes through TUS in 6 MiB chunks, small ones through a standard upload', async () => {
    const backend = await p.backendFor();
    const uid = backend.identity.userId;
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(6 * 1024 * 1024 * 2 + 10));
    const mark = p.stub.requests.length;
    await backend.storage.upload('Exports', `${uid}/g/video.mp4`, { path: big }, { contentType: 'video/mp4' });
    await backend.storage.upload('Exports', `${uid}/g/slide-01.jpg`, { data: randomBytes(100) }, { contentType: 'image/jpeg' });
    const requests = since(mark);
    const create = requests.find((r) => r.method === 'POST' && r.path === '/storage/v1/upload/resumable');
    expect(create?.headers['tus-resumable']).toBe('1.0.0');
    expect(create?.headers.authorization).toMatch(/^Bearer ey/);
    expect(create?.headers.apikey).toBe(p.stub.anonKey);
    expect(create?.headers['x-upsert']).toBe('false');
    expect(create?.headers['upload-length']).toBe(String(6 * 1024 * 1024 * 2 + 10));
    expect(create?.body.length).toBe(6 * 1024 * 1024);
    const patches = requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.body.length)).toEqual([6 * 1024 * 1024, 10]);
    const standard = requests.filter((r) => r.method === 'POST' && r.path.startsWith('/storage/v1/object/Exports/'));
    expect(standard.map((r) => r.path)).toEqual([`/storage/v1/object/Exports/${uid}/g/slide-01.jpg`]);
    expect(standard[0]?.headers['content-type']).toBe('image/jpeg');
    expect(p.stub.violations).toEqual([]);
  });

  test('a resumable upload to a taken key is ObjectExists at once, not retried', async () => {
    const backend = await p.backendFor();
    const big = join(dir, 'big2.bin');
    writeFileSync(big, randomBytes(7 * 1024 * 1024));
    const key = `${backend.identity.userId}/taken.mp4`;
    await backend.storage.upload('Sources', key, { path: big }, { contentType: 'video/mp4' });
    const mark = p.stub.requests.length;
    await expect(backend.storage.upload('Sources', key, { path: big }, { contentType: 'video/mp4' })).rejects.toBeInstanceOf(ObjectExists);
    expect(since(mark).filter((r) => r.path === '/storage/v1/upload/resumable')).toHaveLength(1);
    await backend.storage.upload('Sources', key, { path: big }, { contentType: 'video/mp4', upsert: true });
  });

  test('uploadFolder through it: files hashed where they are and sent once each, batches of rows, a re-run sends nothing', async () => {
    const backend = await p.backendFor();
    const folder = join(dir, 'shoot');
    for (let i = 0; i < 60; i++) await photo(folder, `p${String(i).padStart(2, '0')}.jpg`, i);
    copyFileSync(join(folder, 'p07.jpg'), join(folder, 'p59 copy.jpg'));
    const upload = () => uploadFolder(backend, { paths: [folder], recursive: false, concurrency: 4, dryRun: false });
    const mark = p.stub.requests.length;
    const first = await upload();
    expect(first.uploaded).toHaveLength(60);
    expect(first.existing).toMatchObject([{ storedAs: 'p07.jpg' }]);
    const sent = since(mark).filter((r) => r.method === 'POST' && r.path.startsWith('/storage/v1/object/Sources/'));
    expect(sent).toHaveLength(60);
    const inserts = since(mark).filter((r) => r.method === 'POST' && r.path === '/rest/v1/source_files');
    expect(inserts.map((r) => (JSON.parse(r.body.toString()) as unknown[]).length)).toEqual([50, 10]);
    const back = join(dir, 'back.jpg');
    const landed = first.uploaded.find((f) => f.originalName === 'p33.jpg');
    await backend.storage.download('Sources', landed?.key as string, back);
    expect(readFileSync(back).equals(readFileSync(join(folder, 'p33.jpg')))).toBe(true);

    const again = p.stub.requests.length;
    const second = await upload();
    expect(second.existing).toHaveLength(61);
    expect(since(again).filter((r) => r.method === 'POST')).toEqual([]);
    expect(p.stub.violations).toEqual([]);
  });

  test('the resumable endpoint is the direct storage host on supabase.co, the API URL elsewhere', () => {
    expect(resumableEndpoint('https://abcd.supabase.co')).toBe('https://abcd.storage.supabase.co/storage/v1/upload/resumable');
    expect(resumableEndpoint('http://127.0.0.1:54321/')).toBe('http://127.0.0.1:54321/storage/v1/upload/resumable');
  });

  test('an expired token that Auth will not refresh is an AuthError (exit 3) that says to run slides login', async () => {
    const backend = await p.backendFor(undefined, { expiresIn: -30 });
    p.stub.faults.push({ method: 'POST', path: /^\/auth\/v1\/token$/, times: 1, reply: 400 });
    for (const attempt of [
      () => backend.rows.select('source_files'),
      () => backend.storage.upload('Sources', `${backend.identity.userId}/a.jpg`, { data: Buffer.from('x') }, { contentType: 'image/jpeg' }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect(exitCodeOf(error)).toBe(EXIT.auth);
      expect((error as AuthError).hint).toContain('run slides login');
    }
  });

  test('an unreachable project is BackendUnavailable (exit 5)', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const user = await p.stub.createUser();
    const backend = supabaseBackend(
      { url: `http://127.0.0.1:${port}`, anonKey: p.stub.anonKey, ref: `127.0.0.1:${port}` },
      toStoredSession(p.stub.session(user)),
      { retry: QUICK_RETRY },
    );
    // Reads and storage retry by the adapter's policy (supabase-js's own 1+2+4 s is turned off).
    for (const attempt of [
      () => backend.rows.insert('media_sessions', [{ is_active: false }]),
      () => backend.rows.select('media_sessions'),
      () => backend.storage.upload('Sources', `${user.id}/a.jpg`, { data: Buffer.from('x') }, { contentType: 'image/jpeg' }),
      () => backend.storage.download('Sources', `${user.id}/a.jpg`, join(dir, 'offline.jpg')),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailable);
      expect(exitCodeOf(error)).toBe(EXIT.unavailable);
    }
  });
});
