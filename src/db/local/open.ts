import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../../context.js';
import { BackendUnavailable, messageOf } from '../../errors.js';
import type { Backend } from '../backend.js';
import { localBackend } from './backend.js';
import { lockDataDir } from './dataDirLock.js';
import { ensureLocalUser, LOCAL_USER_EMAIL, migrate, openPglite } from './database.js';

export async function openLocalBackend(ctx: Context): Promise<Backend> {
  const dataRoot = ctx.paths.data;
  const dataDir = join(dataRoot, 'db');
  mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  let waiting: ReturnType<Context['io']['progress']> | undefined;
  try {
    release = await lockDataDir(dataRoot, {
      onWait: () => {
        waiting = ctx.io.progress('Waiting for another slides command to finish with the local database…');
      },
      onCompromised: (error) => ctx.io.warn(`lost the local database lock: ${error.message}`),
    });
  } catch (error) {
    throw new BackendUnavailable(`the local database at ${dataDir} is busy: ${messageOf(error)}`, {
      hint: 'wait for the other slides command to finish',
    });
  } finally {
    waiting?.stop();
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
