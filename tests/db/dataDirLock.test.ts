import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockDataDir, lockDirectory, type LockOptions } from '../../src/db/local/dataDirLock.js';

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

function counting(): LockOptions & { waits: number } {
  const o = { waits: 0, onWait: () => void o.waits++, onCompromised: () => {}, timeoutMs: 20_000 };
  return o;
}

describe('the local data-dir lock', () => {
  it('makes a second process wait, and a SIGKILLed holder frees it at once', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'slides-lock-'));
    const held = holdInAnotherProcess(dataRoot);
    await held.locked;
    const options = counting();
    const taking = lockDataDir(dataRoot, options);
    await new Promise((r) => setTimeout(r, 600));
    expect(options.waits).toBe(1);
    let got = false;
    void taking.then(() => (got = true));
    expect(got).toBe(false);
    held.child.kill('SIGKILL');
    await held.exited;
    const release = await taking;
    await release();
    const again = await lockDataDir(dataRoot, counting());
    await again();
  });

  it('the lock-directory fallback (macOS) takes turns within one machine', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'slides-lock-dir-'));
    const first = await lockDirectory(dataRoot, counting());
    const options = counting();
    const second = lockDirectory(dataRoot, options);
    await new Promise((r) => setTimeout(r, 300));
    expect(options.waits).toBe(1);
    await first();
    await (await second)();
  });
});
