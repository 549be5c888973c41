import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paths } from './paths.js';

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
