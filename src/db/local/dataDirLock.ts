import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export type Release = () => Promise<void>;

export interface LockOptions {
  /** Which of the data folder's locks: `db` (the database, the default) or `renders`. */
  name?: string;
  /** Called once when the lock is held by another process and this one starts waiting. */
  onWait(): void;
  onCompromised(error: Error): void;
  /** How long to wait for the other process before giving up. */
  timeoutMs?: number;
}

const POLL_MS = 250;

/**
 * On Linux, a socket in the abstract namespace: binding it is atomic and the kernel frees it the
 * moment its process dies, even by SIGKILL, so a crash never leaves the database locked.
 */
function tryAbstractSocket(name: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(null) : reject(error)));
    server.listen({ path: `\0${name}`, exclusive: true }, () => resolve(server));
  });
}

async function abstractSocketLock(dataRoot: string, o: LockOptions): Promise<Release> {
  const name = `slides-${o.name ?? 'db'}-${createHash('sha256').update(dataRoot).digest('hex').slice(0, 32)}`;
  const deadline = Date.now() + (o.timeoutMs ?? 5 * 60_000);
  let waited = false;
  for (;;) {
    const server = await tryAbstractSocket(name);
    if (server) return () => new Promise<void>((resolve) => server.close(() => resolve()));
    if (!waited) o.onWait();
    waited = true;
    if (Date.now() > deadline) throw Object.assign(new Error('timed out waiting for the lock'), { code: 'ELOCKED' });
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Elsewhere, a lock directory whose holder refreshes its mtime; a crashed holder's goes stale in 30 s. */
export async function lockDirectory(dataRoot: string, o: LockOptions): Promise<Release> {
  const options = {
    lockfilePath: join(dataRoot, `${o.name ?? 'db'}.lock`),
    stale: 30_000,
    update: 10_000,
    realpath: false,
    onCompromised: o.onCompromised,
  };
  try {
    return await lockfile.lock(dataRoot, { ...options, retries: 0 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
  }
  o.onWait();
  const retries = Math.ceil((o.timeoutMs ?? 5 * 60_000) / 500);
  return lockfile.lock(dataRoot, { ...options, retries: { retries, factor: 1, minTimeout: 250, maxTimeout: 500 } });
}

/** PGlite lets one process at a time open a data dir: this is the turn-taking (and the renders'). */
export function lockDataDir(dataRoot: string, o: LockOptions): Promise<Release> {
  return process.platform === 'linux' ? abstractSocketLock(dataRoot, o) : lockDirectory(dataRoot, o);
}
