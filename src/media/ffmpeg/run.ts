/** Runs ffmpeg: stdout to a callback, stderr to a log file, its last lines in the error on failure. */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { SlidesError } from '../../errors.js';
import { shellQuote } from '../../shellQuote.js';

const TAIL_LINES = 8;

/** ffmpeg exited non-zero; the message carries the end of its stderr, the log has all of it. */
export class FfmpegFailed extends SlidesError {
  constructor(
    readonly ffmpegExit: number | null,
    readonly logTail: string,
    readonly logFile: string,
  ) {
    super(`ffmpeg failed (${ffmpegExit === null ? 'killed' : `exit ${ffmpegExit}`}): ${logTail || 'no output'}`, {
      hint: `full ffmpeg log: ${logFile}`,
    });
  }
}

export interface RunOptions {
  logFile: string;
  /** Add to the log instead of starting it afresh (the later runs of one video). */
  appendLog?: boolean;
  onStdout?: (chunk: string) => void;
  signal?: AbortSignal;
}

export async function runFfmpeg(ffmpegPath: string, args: readonly string[], options: RunOptions): Promise<void> {
  const log = createWriteStream(options.logFile, { flags: options.appendLog ? 'a' : 'w' });
  log.write(`${[ffmpegPath, ...args].map(shellQuote).join(' ')}\n\n`);
  const tail: string[] = [];
  let partial = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(ffmpegPath, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => options.onStdout?.(chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        log.write(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        tail.push(...lines.filter((l) => l.trim() !== ''));
        tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) return resolve();
        if (options.signal?.aborted) return reject(options.signal.reason);
        const last = [...tail, partial].filter((l) => l.trim() !== '').slice(-TAIL_LINES);
        reject(new FfmpegFailed(code, last.join('\n'), options.logFile));
      });
    });
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
}
