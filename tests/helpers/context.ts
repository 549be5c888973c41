import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIO, type IOOptions } from '../../src/cli/io.js';
import { refusingPrompter, type Prompter } from '../../src/cli/prompter.js';
import { resolveConfig, type Settings } from '../../src/config.js';
import type { Clock } from '../../src/clock.js';
import type { Context } from '../../src/context.js';
import type { Backend } from '../../src/db/backend.js';
import { resolvePaths } from '../../src/paths.js';

export interface TestContextOptions {
  backend?: Backend;
  clock?: Clock;
  now?: Date | string;
  prompter?: Prompter;
  settings?: Settings;
  env?: NodeJS.ProcessEnv;
  home?: string;
  io?: Partial<Omit<IOOptions, 'stdout' | 'stderr'>>;
  opened?: string[];
}

/** A command context over buffers, a temp SLIDES_HOME and (usually) a testDatabase() user. */
export function testContext(options: TestContextOptions = {}) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'slides-home-'));
  const env = { SLIDES_HOME: home, ...options.env };
  const { io, output } = bufferIO(options.io);
  const now = options.now === undefined ? undefined : new Date(options.now);
  const opened = options.opened ?? [];
  const ctx: Context = {
    io,
    clock: options.clock ?? (now ? { now: () => new Date(now) } : { now: () => new Date() }),
    prompter: options.prompter ?? refusingPrompter,
    browser: { open: async (url) => void opened.push(url) },
    paths: resolvePaths(env, 'default'),
    profile: 'default',
    config: resolveConfig(options.settings ?? {}, env, {}),
    env,
    backend: async () => {
      if (!options.backend) throw new Error('this test context has no backend');
      return options.backend;
    },
  };
  return { ctx, output, home, opened };
}
