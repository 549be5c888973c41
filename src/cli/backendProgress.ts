import type { BackendEvent } from '../db/open.js';
import type { IO, Progress } from './io.js';

/** Opening a backend as the command's spinners and lines: the embedded database's first start, a wait for its lock. */
export function backendProgress(io: IO): (event: BackendEvent) => void {
  let waiting: Progress | undefined;
  let creating: Progress | undefined;
  return (event) => {
    switch (event.type) {
      case 'lockWait':
        if (event.status === 'start') waiting = io.progress('Waiting for another slides command to finish with the local database…');
        else waiting?.stop();
        return;
      case 'renderWait':
        if (event.status === 'start') waiting = io.progress('Waiting for another render to finish…');
        else waiting?.stop();
        return;
      case 'lockLost':
        io.warn(`lost the local database lock: ${event.error.message}`);
        return;
      case 'firstStart':
        if (event.status === 'start') creating = io.progress('Creating the local database (first run only)…');
        else if (event.status === 'done') creating?.succeed('Local database ready');
        else creating?.fail();
        return;
      case 'migrationApplied':
        io.debug(`applied migration ${event.file}`);
        return;
      case 'warning':
        io.warn(event.text);
        return;
      case 'refreshed':
        io.debug('refreshed the Supabase session');
    }
  };
}

/** Where a command's credentials are, with their warnings on its IO. */
export function sessionPlace(ctx: { env: NodeJS.ProcessEnv; paths: { config: string }; profile: string; io: IO }) {
  return { env: ctx.env, configDir: ctx.paths.config, profile: ctx.profile, onEvent: backendProgress(ctx.io) };
}
