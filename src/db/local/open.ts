import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Context } from '../../context.js';
import { BackendUnavailable, messageOf } from '../../errors.js';
import type { Backend } from '../backend.js';
import { localBackend } from './backend.js';
import { ensureLocalUser, LOCAL_USER_EMAIL, migrate, openPglite } from './database.js';

/** PGlite lets one process at a time open a data dir: later commands wait their turn. */
async function lockDataDir(ctx: Context, dataRoot: string): Promise<() => Promise<void>> {
  const options = {
    lockfilePath: join(dataRoot, 'db.lock'),
    stale: 30_000,
    update: 10_000,
    realpath: false,
    onCompromised: (error: Error) => ctx.io.warn(`lost the local database lock: ${error.message}`),
  };
  try {
    return await lockfile.lock(dataRoot, { ...options, retries: 0 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
  }
  const waiting = ctx.io.progress('Waiting for another slides command to finish with the local database…');
  ctx.io.debug(`waiting for ${options.lockfilePath}`);
  try {
    return await lockfile.lock(dataRoot, {
      ...options,
      retries: { retries: 1200, factor: 1, minTimeout: 250, maxTimeout: 500 },
    });
  } finally {
    waiting.stop();
  }
}

export async function openLocalBackend(ctx: Context): Promise<Backend> {
  const dataRoot = ctx.paths.data;
  const dataDir = join(dataRoot, 'db');
  mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  try {
    release = await lockDataDir(ctx, dataRoot);
  } catch (error) {
    throw new BackendUnavailable(`the local database at ${dataDir} is busy: ${messageOf(error)}`, {
      hint: 'wait for the other slides command to finish',
    });
  }
  const firstRun = !existsSync(dataDir);
  const spinner = firstRun ? ctx.io.progress('Creating the local database (first run only)…') : undefined;
  try {
    const db = await openPglite({ dataDir }).catch((error: unknown) => {
      throw new BackendUnavailable(`the local database at ${dataDir} could not be opened: ${messageOf(error)}`);
    });
    try {
      const applied = await migrate(db);
      for (const m of applied) ctx.io.debug(`applied migration ${m.file}`);
      const userId = await ensureLocalUser(db);
      spinner?.succeed('Local database ready');
      return localBackend({
        db,
        userId,
        email: LOCAL_USER_EMAIL,
        storageDir: join(dataRoot, 'storage'),
        onClose: release,
      });
    } catch (error) {
      await db.close();
      throw error;
    }
  } catch (error) {
    spinner?.fail();
    await release();
    throw error;
  }
}
