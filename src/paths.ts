import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Paths {
  config: string;
  data: string;
  state: string;
  cache: string;
}

/**
 * XDG base directories for one profile. SLIDES_HOME moves all of them under one folder
 * (tests, portable installs); a non-default profile gets its own subfolder everywhere.
 */
export function resolvePaths(env: NodeJS.ProcessEnv, profile: string): Paths {
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
