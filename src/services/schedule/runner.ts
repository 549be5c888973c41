import { spawn } from 'node:child_process';
import { SlidesError } from '../../errors.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How crontab and launchctl are called; tests pass their own. */
export type CommandRunner = (command: string, args: readonly string[], input?: string) => Promise<CommandResult>;

export const spawnRunner: CommandRunner = (command, args, input) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new SlidesError(`${command} was not found on PATH.`, { hint: `install ${command}, or check PATH` }));
      } else {
        reject(error);
      }
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
