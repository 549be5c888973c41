import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDbPush } from '../../src/commands/db/push.js';
import { LOCAL_SHIM_FILE, listMigrations } from '../../src/db/migrations.js';
import { BackendUnavailable, EXIT, exitCodeOf } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';

/** Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<major>/bin. */
function postgresBin(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const major = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return major && existsSync(join(root, major, 'bin', 'initdb')) ? join(root, major, 'bin') : null;
}

/** initdb refuses to run as root: as root, the server runs as the `postgres` (or `nobody`) user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const found = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (found.status === 0) {
      const uid = Number(found.stdout.trim());
      return { uid, gid: Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim()) };
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const bin = postgresBin();
const reason = 'PostgreSQL server binaries not found (Debian: apt-get install -y postgresql)';

describe.skipIf(!bin)(`slides db push against a real PostgreSQL server${bin ? '' : ` (skipped: ${reason})`}`, () => {
  let dir: string;
  let url: string;
  const user = serverUser();
  const run = (tool: string, args: string[]) =>
    execFileSync(join(bin as string, tool), args, { ...(user ?? {}), stdio: 'pipe', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slides-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    const port = await freePort();
    run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    url = `postgresql://postgres:unused@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(readFileSync(LOCAL_SHIM_FILE, 'utf8'));
    await client.end();
  });

  afterAll(() => {
    if (dir && existsSync(join(dir, 'data', 'postmaster.pid'))) run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  });

  async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** One API request as Supabase runs it: a transaction as `authenticated` with the user's id. */
  async function asUser<T extends pg.QueryResultRow>(uid: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('request.jwt.claim.sub', $1, true)`, [uid]);
      await client.query('SET LOCAL ROLE authenticated');
      const rows = (await client.query<T>(sql, params)).rows;
      await client.query('COMMIT');
      return rows;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      await client.end();
    }
  }

  test('--dry-run lists every migration and changes nothing', async () => {
    const { ctx, output } = testContext();
    const result = await runDbPush({ dbUrl: url, dryRun: true }, ctx);
    expect(result.migrations.map((m) => m.version)).toEqual(listMigrations().map((m) => m.version));
    expect(output.stdout).toContain('Would apply');
    expect(output.stdout).not.toContain('unused');
    expect(await query(`SELECT to_regclass('supabase_migrations.schema_migrations') AS t`)).toEqual([{ t: null }]);
  });

  test('applies the pending migrations, records them as the Supabase CLI does, then has nothing to do', async () => {
    const { ctx } = testContext({ env: { SUPABASE_DB_URL: url } });
    const result = await runDbPush({}, ctx);
    const all = listMigrations();
    expect(result.migrations.map((m) => m.version)).toEqual(all.map((m) => m.version));
    const history = await query<{ version: string; name: string; statements: string[] }>(
      'SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version',
    );
    expect(history.map((h) => [h.version, h.name])).toEqual(all.map((m) => [m.version, m.name]));
    expect(history[0]?.statements.join('')).toBe(all[0]?.sql);
    const again = testContext();
    expect((await runDbPush({ dbUrl: url }, again.ctx)).migrations).toEqual([]);
    expect(again.output.stdout).toContain('up to date');
  });

  test('on the pushed schema, RLS keeps two users apart (rows, cross-user links, storage folders)', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    await query('INSERT INTO auth.users (id, email) VALUES ($1, $2), ($3, $4)', [alice, 'alice@test.invalid', bob, 'bob@test.invalid']);
    const [file] = await asUser<{ id: string; user_id: string }>(
      alice,
      `INSERT INTO source_files (file_path, file_type, sha256) VALUES ($1, 'image', $2) RETURNING id, user_id`,
      [`${alice}/a.jpg`, 'a'.repeat(64)],
    );
    expect(file?.user_id).toBe(alice);
    expect(await asUser(bob, 'SELECT id FROM source_files')).toEqual([]);
    const [session] = await asUser<{ id: string }>(bob, 'INSERT INTO media_sessions (is_active) VALUES (true) RETURNING id');
    await expect(
      asUser(bob, `INSERT INTO session_media_items (session_id, source_file_id, position, media_type) VALUES ($1, $2, 0, 'image')`, [session?.id, file?.id]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(bob, `INSERT INTO media_sessions (is_active) VALUES (true)`)).rejects.toMatchObject({ code: '23505' });
    await expect(
      asUser(bob, `INSERT INTO storage.objects (bucket_id, name) VALUES ('Sources', $1)`, [`${alice}/planted.jpg`]),
    ).rejects.toMatchObject({ code: '42501' });
    await asUser(alice, `INSERT INTO storage.objects (bucket_id, name) VALUES ('Sources', $1)`, [`${alice}/mine.jpg`]);
    expect(await asUser(bob, `SELECT name FROM storage.objects`)).toEqual([]);
  });

  test('an unreachable database is BackendUnavailable (exit 5), the password never printed', async () => {
    const { ctx } = testContext();
    const error = await runDbPush({ dbUrl: `postgresql://postgres:s3cret@127.0.0.1:${await freePort()}/postgres` }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(exitCodeOf(error)).toBe(EXIT.unavailable);
    expect((error as Error).message).not.toContain('s3cret');
  });
});
