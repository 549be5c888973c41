import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { LOCAL_SHIM_FILE } from '../../src/db/migrations.js';

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

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const POSTGRES_BIN = postgresBin();
export const NO_POSTGRES = 'PostgreSQL server binaries not found (Debian: apt-get install -y postgresql)';

export interface PostgresServer {
  url: string;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** One API request as Supabase runs it: a transaction as `authenticated` with the user's id. */
  asUser<T extends pg.QueryResultRow>(uid: string, sql: string, params?: unknown[]): Promise<T[]>;
  stop(): void;
}

/** A throwaway PostgreSQL server (trust auth, no fsync) with the Supabase stand-ins (local shim) loaded. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = POSTGRES_BIN;
  if (!bin) throw new Error(NO_POSTGRES);
  const dir = mkdtempSync(join(tmpdir(), 'slides-pg-'));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (tool: string, args: string[]) =>
    execFileSync(join(bin, tool), args, { ...(user ?? {}), stdio: 'pipe', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  const port = await freePort();
  run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const url = `postgresql://postgres:unused@127.0.0.1:${port}/postgres`;
  const withClient = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  await withClient((c) => c.query(readFileSync(LOCAL_SHIM_FILE, 'utf8')));
  return {
    url,
    query: (sql, params = []) => withClient(async (c) => (await c.query(sql, params)).rows),
    asUser: (uid, sql, params = []) =>
      withClient(async (client) => {
        try {
          await client.query('BEGIN');
          await client.query(`SELECT set_config('request.jwt.claim.sub', $1, true)`, [uid]);
          await client.query('SET LOCAL ROLE authenticated');
          const rows = (await client.query(sql, params)).rows;
          await client.query('COMMIT');
          return rows;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }),
    stop() {
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
