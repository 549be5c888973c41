import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLockPath, tryRunLock } from '../../src/services/schedule/runLock.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let stateDir: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'slides-state-'));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

/** Starts a process that takes the lock; resolves with its first line (`locked` or `busy`). */
function lockHolder(mode: 'hold' | 'try'): Promise<{ child: ChildProcessWithoutNullStreams; answer: string }> {
  const child = spawn(process.execPath, ['--import', fixture('register-ts.mjs'), fixture('lock-holder.ts'), stateDir, mode]);
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('\n')) resolve({ child, answer: out.trim() });
    });
    child.stderr.on('data', (chunk) => (err += String(chunk)));
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before answering: ${err}`)));
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve())));

describe('run lock', () => {
  it('a second run in another process is turned away while the first holds the lock, and gets it after', async () => {
    const first = await lockHolder('hold');
    expect(first.answer).toBe('locked');
    expect((await lockHolder('try')).answer).toBe('busy');
    first.child.stdin.end();
    await exited(first.child);
    expect((await lockHolder('try')).answer).toBe('locked');
  });

  it('a lock left by a killed process is taken over once it is stale, not before', async () => {
    const first = await lockHolder('hold');
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect((await lockHolder('try')).answer).toBe('busy');
    // Its holder would have refreshed the lock's mtime every 10 s; a minute without means it died.
    const longAgo = new Date(Date.now() - 5 * 60_000);
    utimesSync(runLockPath(stateDir), longAgo, longAgo);
    expect((await lockHolder('try')).answer).toBe('locked');
  });

  it('within one process the lock is not re-entrant, and release frees it', async () => {
    const lock = await tryRunLock(stateDir);
    expect(lock).not.toBeNull();
    expect(await tryRunLock(stateDir)).toBeNull();
    await lock!.release();
    const again = await tryRunLock(stateDir);
    expect(again).not.toBeNull();
    await again!.release();
  });
});
