import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolvePaths, type Paths } from './paths.js';

export const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

/** The file, in the default profile's config dir, naming the profile `slides profile use` chose. */
export function currentProfileFile(defaultPaths: Paths): string {
  return join(defaultPaths.config, 'current-profile');
}

export function currentProfile(defaultPaths: Paths): string {
  try {
    const name = readFileSync(currentProfileFile(defaultPaths), 'utf8').trim();
    return PROFILE_NAME.test(name) ? name : 'default';
  } catch {
    return 'default';
  }
}

export function setCurrentProfile(defaultPaths: Paths, name: string): void {
  const file = currentProfileFile(defaultPaths);
  if (name === 'default') {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${name}\n`, { mode: 0o600 });
}

/** Every folder a profile owns: its config (and credentials file), data, state and cache. */
function profileDirs(env: NodeJS.ProcessEnv, name: string): string[] {
  const p = resolvePaths(env, name);
  return [p.config, p.data, p.state, p.cache];
}

/** `default` and every profile that has a folder anywhere. */
export function listProfiles(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>(['default']);
  for (const dir of profileDirs(env, 'default')) {
    const parent = join(dir, 'profiles');
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (entry.isDirectory() && PROFILE_NAME.test(entry.name)) names.add(entry.name);
    }
  }
  return ['default', ...[...names].filter((n) => n !== 'default').sort()];
}

export function profileExists(env: NodeJS.ProcessEnv, name: string): boolean {
  return name === 'default' || profileDirs(env, name).some((dir) => existsSync(dir));
}

/** Deletes a non-default profile's folders; the caller has confirmed. */
export function removeProfile(env: NodeJS.ProcessEnv, name: string): void {
  for (const dir of profileDirs(env, name)) rmSync(dir, { recursive: true, force: true });
}
