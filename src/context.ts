import type { Backend } from './db/backend.js';
import type { IO } from './cli/io.js';
import type { Prompter } from './cli/prompter.js';
import type { ResolvedConfig } from './config.js';
import type { Paths } from './paths.js';
import type { Clock } from './clock.js';

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
