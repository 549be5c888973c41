import { Writable } from 'node:stream';

export interface Styles {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/** A long task's status line: a spinner on a TTY, silence elsewhere. */
export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export interface IO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** stderr is a terminal: spinners and progress may be drawn there. */
  readonly isTTY: boolean;
  /** stdout is a terminal: listings are drawn as aligned tables there, and as tab-separated lines elsewhere. */
  readonly stdoutIsTTY: boolean;
  /** stdin is a terminal: prompts may be asked. */
  readonly canPrompt: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly style: Styles;
  /** A line of human output on stdout; nothing in --json mode. */
  out(line: string): void;
  /** A status line on stderr; nothing with --quiet or --json. */
  info(line: string): void;
  warn(line: string): void;
  /** Only with --verbose. */
  debug(line: string): void;
  /** The one JSON document of a --json run. */
  printJson(value: unknown): void;
  progress(text: string): Progress;
}

export interface IOOptions {
  stdout: Writable;
  stderr: Writable;
  isTTY: boolean;
  stdoutIsTTY?: boolean;
  canPrompt: boolean;
  color: boolean;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Draws a spinner; absent where none may be drawn (TERM=dumb). */
  spinner?: (text: string, stream: Writable, o: { color: boolean }) => Progress;
}

const plain: Styles = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };
function id(s: string): string {
  return s;
}
function sgr(open: number, close: number) {
  return (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
}
const coloured: Styles = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

export function styles(color: boolean): Styles {
  return color ? coloured : plain;
}

const silentProgress: Progress = { update() {}, succeed() {}, fail() {}, stop() {} };

export function createIO(o: IOOptions): IO {
  const style = styles(o.color);
  const line = (stream: Writable, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  return {
    stdout: o.stdout,
    stderr: o.stderr,
    isTTY: o.isTTY,
    stdoutIsTTY: o.stdoutIsTTY ?? false,
    canPrompt: o.canPrompt,
    json: o.json,
    quiet: o.quiet,
    verbose: o.verbose,
    style,
    out: (text) => {
      if (!o.json) line(o.stdout, text);
    },
    info: (text) => {
      if (!o.quiet && !o.json) line(o.stderr, text);
    },
    warn: (text) => {
      line(o.stderr, `${style.yellow('warning:')} ${text}`);
    },
    debug: (text) => {
      if (o.verbose) line(o.stderr, style.dim(text));
    },
    printJson: (value) => {
      line(o.stdout, JSON.stringify(value, null, 2));
    },
    progress: (text) => {
      if (!o.isTTY || o.quiet || !o.spinner) return silentProgress;
      return o.spinner(text, o.stderr, { color: o.color });
    },
  };
}

/** Buffers standing in for the terminal, for tests. */
export function bufferIO(options: Partial<Omit<IOOptions, 'stdout' | 'stderr'>> = {}) {
  const chunks = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _enc, done) {
        chunks[name] += String(chunk);
        done();
      },
    });
  const io = createIO({
    stdout: sink('stdout'),
    stderr: sink('stderr'),
    isTTY: false,
    canPrompt: false,
    color: false,
    json: false,
    quiet: false,
    verbose: false,
    ...options,
  });
  return { io, output: chunks };
}
