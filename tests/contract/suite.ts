import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { DatabaseError, ObjectExists, SlidesError } from '../../src/errors.js';

/** What one run of the suite needs: a signed-in user and, for isolation checks, a second one. */
export interface ContractBackends {
  backend: Backend;
  /** Another user of the same project; without it the two-user checks are skipped. */
  other?: Backend;
  close(): Promise<void>;
}

const sha = () => createHash('sha256').update(randomBytes(16)).digest('hex');

async function bytesAt(url: string): Promise<Buffer> {
  if (url.startsWith('file:')) return readFileSync(fileURLToPath(url));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET signed URL: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * The behaviour every Backend must share, whatever is behind it (PGlite and folders, or a
 * Supabase project through PostgREST and Storage). Each test gets fresh users.
 */
export function contractSuite(name: string, makeBackend: () => Promise<ContractBackends>): void {
  describe(`Backend contract: ${name}`, () => {
    let fixture: ContractBackends;
    let b: Backend;
    let dir: string;
    beforeEach(async () => {
      fixture = await makeBackend();
      b = fixture.backend;
      dir = mkdtempSync(join(tmpdir(), 'slides-contract-'));
    });
    afterEach(async () => {
      await fixture.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const newSource = (over: Record<string, unknown> = {}) => ({
      file_path: `${b.identity.userId}/${sha()}.jpg`,
      file_type: 'image' as const,
      sha256: sha(),
      ...over,
    });

    test('identity names the user and the project', () => {
      expect(b.identity.userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(b.identity.project.length).toBeGreaterThan(0);
    });

    test('insert fills defaults (owner, id, timestamp) and returns the rows, timestamps as ISO strings', async () => {
      const [row] = await b.rows.insert('source_files', [newSource({ size_bytes: 1234 })]);
      expect(row?.user_id).toBe(b.identity.userId);
      expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof row?.uploaded_at).toBe('string');
      expect(Number.isNaN(Date.parse(row?.uploaded_at ?? ''))).toBe(false);
      expect(row?.size_bytes).toBe(1234);
    });

    test('a column missing from one row of a batch takes its default, not null', async () => {
      const rows = await b.rows.insert('source_files', [newSource({ original_name: 'a.jpg' }), newSource()]);
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.user_id === b.identity.userId && typeof r.uploaded_at === 'string')).toBe(true);
    });

    test('select filters with eq, neq, in, is null, order and limit', async () => {
      const made = await b.rows.insert('source_files', [
        newSource({ original_name: 'b', size_bytes: 2 }),
        newSource({ original_name: 'a', size_bytes: 1 }),
        newSource({ original_name: null, size_bytes: 3, file_type: 'video' }),
      ]);
      const ids = made.map((r) => r.id);
      const ordered = await b.rows.select('source_files', { where: { id: { in: ids } }, order: [{ column: 'size_bytes', ascending: false }] });
      expect(ordered.map((r) => r.size_bytes)).toEqual([3, 2, 1]);
      expect(await b.rows.select('source_files', { where: { id: { in: ids }, original_name: null } })).toHaveLength(1);
      expect(await b.rows.select('source_files', { where: { id: { in: ids }, original_name: { is: null } } })).toHaveLength(1);
      expect((await b.rows.select('source_files', { where: { id: { in: ids }, file_type: 'image' } })).length).toBe(2);
      expect((await b.rows.select('source_files', { where: { id: { in: ids }, file_type: { neq: 'image' } } })).length).toBe(1);
      const first = await b.rows.select('source_files', { where: { id: { in: ids } }, order: [{ column: 'size_bytes' }], limit: 1 });
      expect(first.map((r) => r.size_bytes)).toEqual([1]);
      expect(await b.rows.select('source_files', { where: { id: { in: [] } } })).toEqual([]);
    });

    test("select returns every row past PostgREST's row cap (1,000 on Supabase), each once, in the order asked", async () => {
      const made = await b.rows.insert('source_files', Array.from({ length: 1200 }, (_, i) => newSource({ size_bytes: i % 7 })));
      expect(made).toHaveLength(1200);
      const all = await b.rows.select('source_files', { order: [{ column: 'size_bytes', ascending: false }] });
      expect(new Set(all.map((r) => r.id)).size).toBe(1200);
      expect(all.map((r) => r.size_bytes)).toEqual(made.map((r) => r.size_bytes).sort((x, y) => (y ?? 0) - (x ?? 0)));
      expect(await b.rows.select('source_files', { where: { size_bytes: { gte: 0 } }, limit: 1100 })).toHaveLength(1100);
      expect(await b.rows.select('source_files', { where: { size_bytes: 0 } })).toHaveLength(made.filter((r) => r.size_bytes === 0).length);
    });

    test('onConflictIgnore skips a duplicate and returns only the new rows', async () => {
      const row = newSource();
      await b.rows.insert('source_files', [row]);
      const again = await b.rows.insert('source_files', [{ ...row, file_path: 'other' }, newSource()], { onConflictIgnore: ['user_id', 'sha256'] });
      expect(again).toHaveLength(1);
      expect(again[0]?.sha256).not.toBe(row.sha256);
    });

    test('a duplicate without onConflictIgnore is a DatabaseError with SQLSTATE 23505', async () => {
      const row = newSource();
      await b.rows.insert('source_files', [row]);
      const error = await b.rows.insert('source_files', [row]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).sqlState).toBe('23505');
    });

    test('update returns the rows it changed, so a conditional update wins exactly once', async () => {
      const [session] = await b.rows.insert('media_sessions', [{ is_active: false, frequency: 2 }]);
      const at = new Date('2026-03-01T10:00:00Z').toISOString();
      const won = await b.rows.update('media_sessions', { last_run_at: at }, { id: session?.id, last_run_at: { is: null } });
      expect(won).toHaveLength(1);
      expect(Date.parse(won[0]?.last_run_at ?? '')).toBe(Date.parse(at));
      const lost = await b.rows.update('media_sessions', { last_run_at: at }, { id: session?.id, last_run_at: { is: null } });
      expect(lost).toEqual([]);
    });

    test('delete returns the rows it removed', async () => {
      const [row] = await b.rows.insert('source_files', [newSource()]);
      expect((await b.rows.delete('source_files', { id: row?.id })).map((r) => r.id)).toEqual([row?.id]);
      expect(await b.rows.select('source_files', { where: { id: row?.id } })).toEqual([]);
    });

    test('rpc slides_create_session returns the new session and leaves it the only active one', async () => {
      const [file] = await b.rows.insert('source_files', [newSource()]);
      const args = (items: unknown[]) => ({ p_frequency: 2, p_max_per_day: 3, p_per_group: 1, p_items: items, p_replace_active: true });
      const first = await b.rows.rpc<{ id: string; is_active: boolean }>('slides_create_session', args([]));
      const second = await b.rows.rpc<{ id: string; is_active: boolean }>(
        'slides_create_session',
        args([{ source_file_id: file?.id, position: 0, generated_caption: 'hi', media_type: 'image' }]),
      );
      expect(second.is_active).toBe(true);
      const active = await b.rows.select('media_sessions', { where: { is_active: true } });
      expect(active.map((s) => s.id)).toEqual([second.id]);
      expect(second.id).not.toBe(first.id);
      const items = await b.rows.select('session_media_items', { where: { session_id: second.id } });
      expect(items.map((i) => i.generated_caption)).toEqual(['hi']);
    });

    test('rpc answers a scalar function with its value and OUT parameters with one object, as PostgREST does', async () => {
      expect(await b.rows.rpc<number>('slides_forget_tiktok_account', { p_open_id: 'nobody' })).toBe(0);
      expect(await b.rows.rpc('slides_remove_source_files', { p_ids: [], p_force: false })).toEqual({ files_removed: 0, items_removed: 0 });
    });

    test('a second active session is refused by the database', async () => {
      await b.rows.insert('media_sessions', [{ is_active: true }]);
      const error = await b.rows.insert('media_sessions', [{ is_active: true }]).catch((e: unknown) => e);
      expect((error as DatabaseError).sqlState).toBe('23505');
    });

    test('objects upload from bytes and from a file, download intact, list recursively, remove', async () => {
      const uid = b.identity.userId;
      const small = randomBytes(1000);
      const file = join(dir, 'clip.bin');
      writeFileSync(file, randomBytes(5000));
      await b.storage.upload('Sources', `${uid}/a.jpg`, { data: small }, { contentType: 'image/jpeg' });
      await b.storage.upload('Sources', `${uid}/deep/er/b.mp4`, { path: file }, { contentType: 'video/mp4' });
      const listed = await b.storage.list('Sources', `${uid}/`);
      expect(listed).toEqual([
        { key: `${uid}/a.jpg`, size: 1000, contentType: 'image/jpeg' },
        { key: `${uid}/deep/er/b.mp4`, size: 5000, contentType: 'video/mp4' },
      ]);
      expect((await b.storage.list('Sources', `${uid}/deep/`)).map((o) => o.key)).toEqual([`${uid}/deep/er/b.mp4`]);
      await b.storage.download('Sources', `${uid}/deep/er/b.mp4`, join(dir, 'back.bin'));
      expect(readFileSync(join(dir, 'back.bin')).equals(readFileSync(file))).toBe(true);
      await b.storage.remove('Sources', [`${uid}/a.jpg`, `${uid}/deep/er/b.mp4`]);
      expect(await b.storage.list('Sources', `${uid}/`)).toEqual([]);
      await expect(b.storage.download('Sources', `${uid}/a.jpg`, join(dir, 'gone.bin'))).rejects.toBeInstanceOf(SlidesError);
    });

    test('a file above 6 MB uploads and downloads intact', async () => {
      const uid = b.identity.userId;
      const big = join(dir, 'big.bin');
      writeFileSync(big, randomBytes(13 * 1024 * 1024 + 123));
      await b.storage.upload('Exports', `${uid}/s/1/video.mp4`, { path: big }, { contentType: 'video/mp4' });
      await b.storage.download('Exports', `${uid}/s/1/video.mp4`, join(dir, 'big-back.bin'));
      expect(readFileSync(join(dir, 'big-back.bin')).equals(readFileSync(big))).toBe(true);
      expect(await b.storage.list('Exports', `${uid}/s/`)).toEqual([{ key: `${uid}/s/1/video.mp4`, size: 13 * 1024 * 1024 + 123, contentType: 'video/mp4' }]);
    });

    test('a taken key is refused with ObjectExists unless upsert is set', async () => {
      const key = `${b.identity.userId}/taken.jpg`;
      await b.storage.upload('Sources', key, { data: Buffer.from('one') }, { contentType: 'image/jpeg' });
      await expect(b.storage.upload('Sources', key, { data: Buffer.from('two') }, { contentType: 'image/jpeg' })).rejects.toBeInstanceOf(ObjectExists);
      await b.storage.upload('Sources', key, { data: Buffer.from('three') }, { contentType: 'image/jpeg', upsert: true });
      await b.storage.download('Sources', key, join(dir, 'taken.jpg'));
      expect(readFileSync(join(dir, 'taken.jpg'), 'utf8')).toBe('three');
    });

    test('a signed URL serves the object', async () => {
      const key = `${b.identity.userId}/s/2/slide-01.jpg`;
      await b.storage.upload('Exports', key, { data: Buffer.from('slide') }, { contentType: 'image/jpeg' });
      const url = await b.storage.signedUrl('Exports', key, 60);
      expect((await bytesAt(url)).toString()).toBe('slide');
    });

    describe('two users', () => {
      test('rows of one user are invisible and untouchable to the other', async (ctx) => {
        if (!fixture.other) return ctx.skip();
        const o = fixture.other;
        const [mine] = await b.rows.insert('source_files', [newSource()]);
        expect(await o.rows.select('source_files', { where: { id: mine?.id } })).toEqual([]);
        expect(await o.rows.update('source_files', { original_name: 'stolen' }, { id: mine?.id })).toEqual([]);
        expect(await o.rows.delete('source_files', { id: mine?.id })).toEqual([]);
        expect(await b.rows.select('source_files', { where: { id: mine?.id } })).toHaveLength(1);
      });

      test("objects in one user's folder cannot be listed, read or written by the other", async (ctx) => {
        if (!fixture.other) return ctx.skip();
        const o = fixture.other;
        const key = `${b.identity.userId}/private.jpg`;
        await b.storage.upload('Sources', key, { data: Buffer.from('mine') }, { contentType: 'image/jpeg' });
        expect(await o.storage.list('Sources', `${b.identity.userId}/`)).toEqual([]);
        await expect(o.storage.download('Sources', key, join(dir, 'x'))).rejects.toBeInstanceOf(SlidesError);
        await expect(o.storage.upload('Sources', `${b.identity.userId}/planted.jpg`, { data: Buffer.from('x') }, { contentType: 'image/jpeg' })).rejects.toBeInstanceOf(
          SlidesError,
        );
      });
    });
  });
}
