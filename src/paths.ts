import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Paths {
  config: string;
  data: string;
  state: string;
  cache: string;
}

/**
 * What a profile may be called. The name becomes a folder, a crontab tag and a launchd label, so
 * it can never hold a slash, a dot, a space or a line break.
 */
export const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const PROFILE_NAME_RULE = `1 to 63 lowercase letters, digits, - and _, starting with a letter or digit (${PROFILE_NAME.source})`;

/**
 * XDG base directories for one profile. SLIDES_HOME moves all of them under one folder
 * (tests, portable installs); a non-default profile gets its own subfolder everywhere.
 * The name was checked where it was read (profileName); a name that was not is a bug, refused here.
 */
export function resolvePaths(env: NodeJS.ProcessEnv, profile: string): Paths {
  if (!PROFILE_NAME.test(profile)) throw new Error(`unchecked profile name ${JSON.stringify(profile)} reached resolvePaths`);
  const sub = profile === 'default' ? '' : join('profiles', profile);
  const home = env.SLIDES_HOME;
  if (home) {
    return {
      config: join(home, 'config', sub),
      data: join(home, 'data', sub),
      state: join(home, 'state', sub),
      cache: join(home, 'cache', sub),
    };
  }
  const user = env.HOME || homedir();
  const xdg = (name: string, fallback: string) => join(env[name] || join(user, fallback), 'slides', sub);
  return {
    config: xdg('XDG_CONFIG_HOME', '.config'),
    data: xdg('XDG_DATA_HOME', join('.local', 'share')),
    state: xdg('XDG_STATE_HOME', join('.local', 'state')),
    cache: xdg('XDG_CACHE_HOME', '.cache'),
  };
}
