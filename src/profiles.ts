import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { SlidesError, UsageError } from './errors.js';
import { PROFILE_NAME, PROFILE_NAME_RULE, resolvePaths, type Paths } from './paths.js';

/**
 * The one check of a profile name, made where it is read (`from`: the flag, variable, file or
 * command that gave it) and before any path is built from it.
 */
export function profileName(raw: string, from: string, hint = `use ${PROFILE_NAME_RULE}`): string {
  if (PROFILE_NAME.test(raw)) return raw;
  throw new UsageError(`${from}: ${JSON.stringify(raw)} is not a profile name`, { hint });
}

/** The profile a command runs as: --profile, else SLIDES_PROFILE, else the one `slides profile use` chose. */
export function selectedProfile(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined) return profileName(flag, '--profile');
  if (env.SLIDES_PROFILE) return profileName(env.SLIDES_PROFILE, 'SLIDES_PROFILE');
  return currentProfile(resolvePaths(env, 'default'));
}

/** The file, in the default profile's config dir, naming the profile `slides profile use` chose. */
export function currentProfileFile(defaultPaths: Paths): string {
  return join(defaultPaths.config, 'current-profile');
}

export function currentProfile(defaultPaths: Paths): string {
  const file = currentProfileFile(defaultPaths);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'default';
  }
  return profileName(text.trim(), file, `delete it to go back to the default profile; a name is ${PROFILE_NAME_RULE}`);
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

/** Deletes a non-default profile's folders; the caller has confirmed. Each must be one folder inside a `profiles` folder. */
export function removeProfile(env: NodeJS.ProcessEnv, name: string): void {
  const dirs = profileDirs(env, name);
  const parents = profileDirs(env, 'default').map((dir) => join(dir, 'profiles'));
  dirs.forEach((dir, i) => assertStrictlyInside(parents[i]!, dir));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

function assertStrictlyInside(parent: string, dir: string): void {
  const rel = relative(parent, dir);
  if (rel === '' || rel === '..' || rel.includes(sep) || isAbsolute(rel)) {
    throw new SlidesError(`refusing to delete ${dir}: it is not a profile folder inside ${parent}`);
  }
}
