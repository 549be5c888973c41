import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createIO, type IO } from './cli/io.js';
import { inquirerPrompter, refusingPrompter } from './cli/prompter.js';
import type { Register, Runner } from './cli/command.js';
import { parseSetting, readConfigFile, resolveConfig, type Settings } from './config.js';
import { clockFromEnv } from './clock.js';
import type { Context } from './context.js';
import { EXIT, exitCodeOf, messageOf, SlidesError, UsageError } from './errors.js';
import type { Backend } from './db/backend.js';
import { resolvePaths } from './paths.js';
import { openBackend } from './db/open.js';
import { backendProgress } from './cli/backendProgress.js';
import { COMMANDS } from './commands/index.js';
import { startSpinner } from './cli/spinner.js';
import { selectedProfile } from './profiles.js';
import { userHint, userMessage } from './cli/settingFlags.js';

export interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  backend?: string;
  profile?: string;
  color?: boolean;
}

export interface Process {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdinIsTTY: boolean;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * What may be drawn on stderr. Colour only on a terminal, never with NO_COLOR (set and not empty,
 * as no-color.org says), --no-color or TERM=dumb; spinners on any terminal but a dumb one, which
 * cannot redraw a line. A pseudo-terminal that reports no width makes spinners redraw forever: it
 * counts as no terminal.
 */
function terminal(proc: Pick<Process, 'stderr' | 'env'>, noColorFlag: boolean): { isTTY: boolean; color: boolean; spinners: boolean } {
  const isTTY = Boolean(proc.stderr.isTTY) && (proc.stderr.columns ?? 0) > 0;
  const dumb = proc.env.TERM === 'dumb';
  return { isTTY, color: isTTY && !noColorFlag && !proc.env.NO_COLOR && !dumb, spinners: isTTY && !dumb };
}

/** The context of one command run, and how to release what it opened. */
export function buildContext(flags: GlobalFlags, proc: Process): { ctx: Context; dispose(): Promise<void> } {
  const env = proc.env;
  const { isTTY, color, spinners } = terminal(proc, flags.color === false);
  const io = createIO({
    stdout: proc.stdout,
    stderr: proc.stderr,
    isTTY,
    stdoutIsTTY: Boolean(proc.stdout.isTTY),
    canPrompt: proc.stdinIsTTY && Boolean(proc.stdout.isTTY) && !flags.json,
    color,
    json: Boolean(flags.json),
    quiet: Boolean(flags.quiet),
    verbose: Boolean(flags.verbose),
    spinner: spinners ? startSpinner : undefined,
  });
  const profile = selectedProfile(flags.profile, env);
  const paths = resolvePaths(env, profile);
  const flagSettings: Settings = {};
  if (flags.backend !== undefined) flagSettings.backend = parseSetting('backend', flags.backend);
  const config = resolveConfig(flagSettings, env, readConfigFile(paths.config));
  let clock;
  try {
    clock = clockFromEnv(env);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  let opened: Promise<Backend> | undefined;
  const ctx: Context = {
    io,
    clock,
    prompter: io.canPrompt ? inquirerPrompter : refusingPrompter,
    browser: { open: async (url) => void (await (await import('open')).default(url)) },
    paths,
    profile,
    config,
    env,
    backend: () => (opened ??= openBackend({ config, env, paths, profile, onEvent: backendProgress(io) })),
  };
  const dispose = async () => {
    const backend = await opened?.catch(() => undefined);
    await backend?.close();
  };
  return { ctx, dispose };
}

export function reportError(io: Pick<IO, 'stderr' | 'style' | 'verbose'>, error: unknown): void {
  const hint = userHint(error) ? ` (${userHint(error)})` : '';
  io.stderr.write(`${io.style.red('error:')} ${userMessage(error)}${hint}\n`);
  if (io.verbose && error instanceof Error && !(error instanceof SlidesError) && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  }
}

export function buildProgram(proc: Process, onContext: (ctx: Context) => void): Command {
  const program = new Command('slides')
    .description('Turn folders of photos and clips into TikTok-ready slide groups, on a schedule.')
    .version(version(), '-V, --version')
    .option('--json', 'print one JSON document on stdout, nothing else')
    .option('-q, --quiet', 'print only errors')
    .option('-v, --verbose', 'print what happens in detail')
    .option('--backend <name>', 'local (embedded, offline) or supabase')
    .option('--profile <name>', 'use a separate config, credentials and data (operators)')
    .option('--no-color', 'no colours even on a terminal')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => proc.stdout.write(s),
      writeErr: (s) => proc.stderr.write(s),
      outputError: (s, write) => write(`${s.trimEnd()}\n`),
    });

  const run: Runner =
    (action) =>
    async (...args) => {
      const { ctx, dispose } = buildContext(program.opts<GlobalFlags>(), proc);
      onContext(ctx);
      try {
        await action(ctx, ...args);
      } finally {
        await dispose();
      }
    };

  const topics = new Map<string, Command>();
  for (const { topic, description, register } of COMMANDS) {
    let parent = program;
    if (topic) {
      let t = topics.get(topic);
      if (!t) {
        t = program.command(topic).description(description ?? '');
        t.exitOverride();
        topics.set(topic, t);
      }
      parent = t;
    }
    (register as Register)(parent, run);
  }
  return program;
}

export async function main(proc: Process): Promise<number> {
  let ctx: Context | undefined;
  const program = buildProgram(proc, (c) => (ctx = c));
  const fallbackIO = createIO({
    stdout: proc.stdout,
    stderr: proc.stderr,
    isTTY: false,
    canPrompt: false,
    color: terminal(proc, proc.argv.includes('--no-color')).color,
    json: false,
    quiet: false,
    verbose: proc.argv.includes('--verbose') || proc.argv.includes('-v'),
  });
  try {
    await program.parseAsync(proc.argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      if (error.code !== 'commander.help' && error.code !== 'commander.helpDisplayed') {
        proc.stderr.write('(run slides --help for usage)\n');
      }
      return exitCodeOf(error);
    }
    reportError(ctx?.io ?? fallbackIO, error);
    return exitCodeOf(error);
  }
}
