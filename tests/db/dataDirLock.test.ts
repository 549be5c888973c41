import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockDataDir, lockDirectory, type LockOptions, type Release } from '../../src/db/local/dataDirLock.js';

const tsLoader = fileURLToPath(new URL('../schedule/fixtures/register-ts.mjs', import.meta.url));
const holder = fileURLToPath(new URL('./fixtures/hold-data-dir.ts', import.meta.url));

function holdInAnotherProcess(dataRoot: string) {
  const child = spawn(process.execPath, ['--import', tsLoader, holder, dataRoot]);
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, locked, exited };
}

/** Lock options that log, in order, when the caller starts waiting; `waiting` resolves then. */
function watched(events: string[], timeoutMs = 20_000): LockOptions & { waiting: Promise<void> } {
  let onWait = () => {};
  const waiting = new Promise<void>((resolve) => (onWait = resolve));
  return {
    waiting,
    onWait: () => (events.push('waiting'), onWait()),
    onCompromised: () => events.push('compromised'),
    timeoutMs,
  };
}

/** Takes the lock; the event log gets `acquired` the moment the promise settles with it. */
function take(lock: (root: string, o: LockOptions) => Promise<Release>, root: string, events: string[], o: LockOptions) {
  return lock(root, o).then((release) => (events.push('acquired'), release));
}

describe('the local data-dir lock', () => {
  it('a second process waits while the holder lives, and gives up at its timeout without the lock', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'slides-lock-'));
    const held = holdInAnotherProcess(dataRoot);
    await held.locked;
    const events: string[] = [];
    await expect(take(lockDataDir, dataRoot, events, watched(events, 600))).rejects.toMatchObject({ code: 'ELOCKED' });
    expect(events).toEqual(['waiting']);
    held.child.kill('SIGKILL');
    await held.exited;
  });

  it('a waiter gets the lock once its holder is SIGKILLed, without the holder releasing it', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'slides-lock-'));
    const held = holdInAnotherProcess(dataRoot);
    await held.locked;
    const events: string[] = [];
    const options = watched(events);
    const taking = take(lockDataDir, dataRoot, events, options);
    await options.waiting;
    events.push('killing the holder');
    held.child.kill('SIGKILL');
    const release = await taking;
    expect(events).toEqual(['waiting', 'killing the holder', 'acquired']);
    await release();
    const again: string[] = [];
    await (await take(lockDataDir, dataRoot, again, watched(again)))();
    expect(again).toEqual(['acquired']);
  });

  it('the lock-directory fallback (macOS) makes a second caller wait until the first releases', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'slides-lock-dir-'));
    const first = await lockDirectory(dataRoot, watched([]));
    const refused: string[] = [];
    await expect(take(lockDirectory, dataRoot, refused, watched(refused, 600))).rejects.toMatchObject({ code: 'ELOCKED' });
    expect(refused).toEqual(['waiting']);
    const events: string[] = [];
    const options = watched(events);
    const second = take(lockDirectory, dataRoot, events, options);
    await options.waiting;
    events.push('releasing');
    await first();
    await (await second)();
    expect(events).toEqual(['waiting', 'releasing', 'acquired']);
  });
});
