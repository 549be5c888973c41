/**
 * The claim and the finish on a real PostgreSQL server, where separate connections really run at
 * the same time (PGlite, the stub and the local backend all serialise): renders racing on one
 * session get their own numbers and disjoint items, and the count holds every finished group.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/db/migrations.js';
import type { MediaSession, SlideGroup } from '../../src/db/types.js';
import { NO_POSTGRES, POSTGRES_BIN, startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { skipWithout } from '../helpers/tools.js';

const CLAIM = `SELECT * FROM slides_claim_group($1, $2, $3, $4, $5, false)`;

describe.skipIf(skipWithout('PostgreSQL', POSTGRES_BIN !== null, 'apt-get install -y postgresql'))(`claims racing on a real PostgreSQL server${POSTGRES_BIN ? '' : ` (skipped: ${NO_POSTGRES})`}`, () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
    for (const m of listMigrations()) await server.query(m.sql);
  }, 120_000);
  afterAll(() => server?.stop());

  async function sessionOf(items: number, perGroup: number): Promise<{ uid: string; session: MediaSession; itemIds: string[] }> {
    const uid = randomUUID();
    await server.query('INSERT INTO auth.users (id, email) VALUES ($1, $2)', [uid, `${uid}@test.invalid`]);
    const files = await server.asUser<{ id: string }>(
      uid,
      `INSERT INTO source_files (file_path, file_type, sha256) SELECT 'x/' || g, 'image', encode(sha256(($1 || g)::bytea), 'hex') FROM generate_series(1, $2) g RETURNING id`,
      [randomBytes(8).toString('hex'), items],
    );
    const [session] = await server.asUser<MediaSession>(uid, 'SELECT * FROM slides_create_session(4, NULL, $1, $2, true)', [
      perGroup,
      JSON.stringify(files.map((f, i) => ({ source_file_id: f.id, position: i, media_type: 'image' }))),
    ]);
    const items_ = await server.asUser<{ id: string }>(uid, 'SELECT id FROM session_media_items WHERE session_id = $1 ORDER BY position, id', [session?.id]);
    return { uid, session: session as MediaSession, itemIds: items_.map((i) => i.id) };
  }

  /** A manual render on its own connection: read, claim one more for today (again when another got there first), finish. */
  async function render(uid: string, sessionId: string, at: string): Promise<SlideGroup> {
    for (;;) {
      const [seen] = await server.asUser<MediaSession>(uid, 'SELECT * FROM media_sessions WHERE id = $1', [sessionId]);
      const [group] = await server.asUser<SlideGroup>(uid, CLAIM, [sessionId, seen?.last_run_at, seen?.created_per_day, (seen?.created_per_day ?? 0) + 1, at]);
      if (!group?.id) continue;
      const paths = Object.fromEntries(group.item_ids.map((id) => [id, `${group.id}/${id}.jpg`]));
      await server.asUser(uid, 'SELECT * FROM slides_finish_group($1, $2, NULL, $3, $4)', [group.id, group.item_ids.length, JSON.stringify(paths), `${group.id}/video.mp4`]);
      return group;
    }
  }

  it('six renders at once on six connections: six numbers, disjoint items, a count of six', async () => {
    const { uid, session, itemIds } = await sessionOf(12, 2);
    const groups = await Promise.all(Array.from({ length: 6 }, (_, i) => render(uid, session.id, `2024-06-01T10:00:0${i}Z`)));
    expect(groups.map((g) => g.group_number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const taken = groups.flatMap((g) => g.item_ids);
    expect(new Set(taken).size).toBe(12);
    expect([...taken].sort()).toEqual([...itemIds].sort());
    const [after] = await server.asUser<MediaSession>(uid, 'SELECT * FROM media_sessions WHERE id = $1', [session.id]);
    expect(after).toMatchObject({ groups_created: 6, created_per_day: 6, last_group_number: 6, next_position: 0 });
    const done = await server.asUser<{ n: number }>(uid, `SELECT count(*)::int AS n FROM slide_groups WHERE session_id = $1 AND status = 'done'`, [session.id]);
    expect(done[0]?.n).toBe(6);
  });

  it('a claim made on a reading older than another claim refuses, even while that claim is still open', async () => {
    const { uid, session } = await sessionOf(4, 2);
    const a = new pg.Client({ connectionString: server.url });
    await a.connect();
    try {
      await a.query('BEGIN');
      await a.query(`SELECT set_config('request.jwt.claim.sub', $1, true)`, [uid]);
      await a.query('SET LOCAL ROLE authenticated');
      const [first] = (await a.query<SlideGroup>(CLAIM, [session.id, null, 0, 1, '2024-06-01T10:00:00Z'])).rows;
      // B saw the session as it was before A's claim, and claims on that reading while A holds the row.
      const b = server.asUser<SlideGroup>(uid, CLAIM, [session.id, null, 0, 1, '2024-06-01T10:00:01Z']);
      await a.query('COMMIT');
      const [second] = await b;
      expect(first?.group_number).toBe(1);
      expect(second?.id ?? null).toBeNull();
    } finally {
      await a.end();
    }
    const [after] = await server.asUser<MediaSession>(uid, 'SELECT * FROM media_sessions WHERE id = $1', [session.id]);
    expect(after).toMatchObject({ created_per_day: 1, last_group_number: 1, next_position: 2 });
  });
});
