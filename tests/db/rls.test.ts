import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, TableName } from '../../src/db/backend.js';
import { DatabaseError, ObjectExists } from '../../src/errors.js';
import { asUser, localRows } from '../../src/db/local/rows.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let alice: Backend;
let bob: Backend;

beforeEach(async () => {
  t = await testDatabase();
  alice = await t.user('alice@test.invalid');
  bob = await t.user('bob@test.invalid');
});
afterEach(async () => t.close());

const sha = (c: string) => c.repeat(64);

/** Alice's rows in every table, made through her own backend (so RLS lets her). */
async function seedAlice() {
  const uid = alice.identity.userId;
  const [file] = await alice.rows.insert('source_files', [{ file_path: `${uid}/a.jpg`, file_type: 'image', sha256: sha('a') }]);
  const session = await alice.rows.rpc<{ id: string }>('slides_create_session', {
    p_frequency: 1,
    p_max_per_day: 2,
    p_per_group: null,
    p_items: [{ source_file_id: file!.id, position: 0, media_type: 'image', generated_caption: 'hi' }],
    p_replace_active: true,
  });
  const [item] = await alice.rows.select('session_media_items', { where: { session_id: session.id } });
  const [group] = await alice.rows.insert('slide_groups', [{ session_id: session.id, group_number: 1, folder: `${uid}/x` }]);
  await alice.rows.insert('profiles', [{ id: uid, tiktok_account_id: 'alice_tt' }]);
  await alice.rows.insert('user_settings', [{ preference: { style: 'box' } }]);
  await alice.rows.insert('tiktok_auth', [{ tiktok_account_id: 'alice_tt', access_token: 'tk1.enc' }]);
  return { uid, file: file!, session, item: item!, group: group! };
}

type Keyed = { table: TableName; key: string; patch: Record<string, unknown> };

describe('row level security, two users', () => {
  it('Bob sees, changes and deletes none of Alice’s rows in any table', async () => {
    const a = await seedAlice();
    const tables: Keyed[] = [
      { table: 'profiles', key: a.uid, patch: { tiktok_account_id: 'bob_was_here' } },
      { table: 'tiktok_auth', key: a.uid, patch: { access_token: 'tk1.stolen' } },
      { table: 'source_files', key: a.file.id, patch: { file_path: 'moved' } },
      { table: 'media_sessions', key: a.session.id, patch: { frequency: 9, max_per_day: 9 } },
      { table: 'session_media_items', key: a.item.id, patch: { generated_caption: 'pwned' } },
      { table: 'user_settings', key: a.uid, patch: { preference: { style: 'shadow' } } },
      { table: 'slide_groups', key: a.group.id, patch: { status: 'failed' } },
    ];
    for (const { table, key, patch } of tables) {
      const idColumn = table === 'profiles' ? 'id' : ['tiktok_auth', 'user_settings'].includes(table) ? 'user_id' : 'id';
      const where = { [idColumn]: key } as never;
      expect(await alice.rows.select(table, { where }), `${table}: Alice sees her row`).toHaveLength(1);
      expect(await bob.rows.select(table), `${table}: Bob sees nothing`).toEqual([]);
      expect(await bob.rows.update(table, patch as never, where), `${table}: Bob updates nothing`).toEqual([]);
      expect(await bob.rows.delete(table, where), `${table}: Bob deletes nothing`).toEqual([]);
      const [still] = await alice.rows.select(table, { where });
      for (const [k, v] of Object.entries(patch)) expect((still as unknown as Record<string, unknown>)[k], `${table}.${k}`).not.toEqual(v);
    }
  });

  it('Bob cannot insert rows owned by Alice into any table', async () => {
    const a = await seedAlice();
    const attempts: Array<[TableName, Record<string, unknown>]> = [
      ['profiles', { id: a.uid }],
      ['tiktok_auth', { user_id: a.uid, access_token: 'tk1.x' }],
      ['source_files', { user_id: a.uid, file_path: 'x', file_type: 'image' }],
      ['media_sessions', { user_id: a.uid, frequency: 1, is_active: false }],
      ['session_media_items', { session_id: a.session.id, media_type: 'image', position: 5 }],
      ['user_settings', { user_id: a.uid, preference: {} }],
      ['slide_groups', { user_id: a.uid, session_id: a.session.id, group_number: 2, folder: 'x' }],
    ];
    for (const [table, row] of attempts) {
      const error = await bob.rows.insert(table, [row as never]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `${table}: Bob's insert is refused`).toBeInstanceOf(DatabaseError);
    }
  });

  it('Bob cannot attach Alice’s source file to his own session (the seed allowed it; 0002 closes it)', async () => {
    const a = await seedAlice();
    const bobSession = await bob.rows.rpc<{ id: string }>('slides_create_session', {
      p_frequency: 1,
      p_max_per_day: null,
      p_per_group: null,
      p_items: [],
      p_replace_active: true,
    });
    await expect(
      bob.rows.insert('session_media_items', [
        { session_id: bobSession.id, source_file_id: a.file.id, position: 0, media_type: 'image' },
      ]),
    ).rejects.toMatchObject({ sqlState: '42501' });
    await expect(
      bob.rows.rpc('slides_create_session', {
        p_frequency: 1,
        p_max_per_day: null,
        p_per_group: null,
        p_items: [{ source_file_id: a.file.id, position: 0, media_type: 'image' }],
        p_replace_active: true,
      }),
    ).rejects.toMatchObject({ sqlState: '42501' });
    const [bobFile] = await bob.rows.insert('source_files', [{ file_path: 'b', file_type: 'image', sha256: sha('b') }]);
    const [item] = await bob.rows.insert('session_media_items', [
      { session_id: bobSession.id, source_file_id: bobFile!.id, position: 0, media_type: 'image' },
    ]);
    expect(item?.source_file_id).toBe(bobFile!.id);
    await expect(
      bob.rows.update('session_media_items', { source_file_id: a.file.id }, { id: item!.id }),
    ).rejects.toMatchObject({ sqlState: '42501' });
  });

  it('anon sees nothing at all', async () => {
    await seedAlice();
    const anon = localRows(t.db, null);
    for (const table of ['profiles', 'tiktok_auth', 'source_files', 'media_sessions', 'session_media_items', 'user_settings', 'slide_groups'] as const) {
      const result = await anon.select(table).then(
        (rows) => rows,
        (e: unknown) => e,
      );
      if (Array.isArray(result)) expect(result, table).toEqual([]);
      else expect(result, table).toMatchObject({ sqlState: '42501' });
    }
    const objects = await asUser(t.db, null, async (tx) => (await tx.query('SELECT * FROM storage.objects')).rows).then(
      (rows) => rows,
      (e: DatabaseError) => e.sqlState,
    );
    expect(objects === '42501' || (Array.isArray(objects) && objects.length === 0)).toBe(true);
  });
});

describe('row level security on the Sources and Exports buckets', () => {
  for (const bucket of ['Sources', 'Exports'] as const) {
    it(`${bucket}: each user reads, lists, overwrites and deletes only their own folder`, async () => {
      const a = alice.identity.userId;
      const b = bob.identity.userId;
      const data = new TextEncoder().encode('alice bytes');
      await alice.storage.upload(bucket, `${a}/one.txt`, { data }, { contentType: 'text/plain' });

      await expect(bob.storage.upload(bucket, `${a}/evil.txt`, { data }, { contentType: 'text/plain' })).rejects.toMatchObject({
        sqlState: '42501',
      });
      await expect(
        bob.storage.upload(bucket, `${a}/one.txt`, { data }, { contentType: 'text/plain', upsert: true }),
      ).rejects.toBeInstanceOf(DatabaseError);
      expect(await bob.storage.list(bucket, '')).toEqual([]);
      expect(await bob.storage.list(bucket, `${a}/`)).toEqual([]);
      await expect(bob.storage.download(bucket, `${a}/one.txt`, `${t.storageDir}/stolen`)).rejects.toThrow(/not found/);
      await bob.storage.remove(bucket, [`${a}/one.txt`]);

      const listed = await alice.storage.list(bucket, `${a}/`);
      expect(listed).toEqual([{ key: `${a}/one.txt`, size: data.byteLength, contentType: 'text/plain' }]);
      await expect(alice.storage.upload(bucket, `${a}/one.txt`, { data }, { contentType: 'text/plain' })).rejects.toBeInstanceOf(
        ObjectExists,
      );
      await alice.storage.upload(bucket, `${a}/one.txt`, { data: new TextEncoder().encode('v2') }, { contentType: 'text/plain', upsert: true });
      await bob.storage.upload(bucket, `${b}/mine.txt`, { data }, { contentType: 'text/plain' });
      expect((await alice.storage.list(bucket, '')).map((o) => o.key)).toEqual([`${a}/one.txt`]);
      await alice.storage.remove(bucket, [`${a}/one.txt`]);
      expect(await alice.storage.list(bucket, '')).toEqual([]);
    });
  }
});

describe('0002 hardening', () => {
  it('a second active session for one user is refused by the database', async () => {
    await alice.rows.insert('media_sessions', [{ frequency: 1, is_active: true }]);
    await expect(alice.rows.insert('media_sessions', [{ frequency: 2, is_active: true }])).rejects.toMatchObject({
      sqlState: '23505',
    });
    await alice.rows.insert('media_sessions', [{ frequency: 2, is_active: false }]);
    await bob.rows.insert('media_sessions', [{ frequency: 1, is_active: true }]);
  });

  it('creating a session with replace switches the previous one off in the same call', async () => {
    const make = (replace: boolean) =>
      alice.rows.rpc<{ id: string }>('slides_create_session', {
        p_frequency: 1,
        p_max_per_day: null,
        p_per_group: null,
        p_items: [],
        p_replace_active: replace,
      });
    const first = await make(true);
    await expect(make(false)).rejects.toMatchObject({ sqlState: '23505' });
    expect(await alice.rows.select('media_sessions')).toHaveLength(1);
    const second = await make(true);
    const active = await alice.rows.select('media_sessions', { where: { is_active: true } });
    expect(active.map((s) => s.id)).toEqual([second.id]);
    await alice.rows.rpc('slides_activate_session', { p_session_id: first.id });
    expect((await alice.rows.select('media_sessions', { where: { is_active: true } })).map((s) => s.id)).toEqual([first.id]);
    await expect(bob.rows.rpc('slides_activate_session', { p_session_id: first.id })).rejects.toMatchObject({ sqlState: 'P0002' });
  });

  it('frequency and max_per_day must be positive and the cap no lower than the frequency', async () => {
    for (const bad of [{ frequency: 0 }, { max_per_day: 0 }, { frequency: 3, max_per_day: 2 }, { created_per_day: -1 }]) {
      await expect(alice.rows.insert('media_sessions', [{ is_active: false, ...bad }])).rejects.toMatchObject({
        sqlState: '23514',
      });
    }
  });

  it('the same content is one source file per user, and still one each for two users', async () => {
    await alice.rows.insert('source_files', [{ file_path: 'p', file_type: 'image', sha256: sha('c') }]);
    const again = await alice.rows.insert('source_files', [{ file_path: 'p', file_type: 'image', sha256: sha('c') }], {
      onConflictIgnore: ['user_id', 'sha256'],
    });
    expect(again).toEqual([]);
    await bob.rows.insert('source_files', [{ file_path: 'p', file_type: 'image', sha256: sha('c') }]);
    expect(await alice.rows.select('source_files')).toHaveLength(1);
  });
});
