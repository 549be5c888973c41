import type { Backend } from './db/backend.js';
import type { IO } from './cli/io.js';
import type { Prompter } from './cli/prompter.js';
import type { ResolvedConfig } from './config.js';
import type { Paths } from './paths.js';

export interface Clock {
  now(): Date;
}

export interface Browser {
  open(url: string): Promise<void>;
}

/**
 * Everything a command needs, built once in src/cli.ts (tests build their own). Nothing here
 * connects or loads heavy modules until asked: `backend()` opens the database on first call.
 */
export interface Context {
  io: IO;
  clock: Clock;
  prompter: Prompter;
  browser: Browser;
  paths: Paths;
  profile: string;
  config: ResolvedConfig;
  env: NodeJS.ProcessEnv;
  backend(): Promise<Backend>;
}

export const systemClock: Clock = { now: () => new Date() };

/** SLIDES_NOW pins the clock (ISO 8601) so end-to-end tests can play out several days. */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const pinned = env.SLIDES_NOW;
  if (!pinned) return systemClock;
  const at = new Date(pinned);
  if (Number.isNaN(at.getTime())) throw new Error(`SLIDES_NOW is not a date: ${pinned}`);
  return { now: () => new Date(at) };
}
