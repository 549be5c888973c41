/** Hashing for uploads: one read that hashes and copies, and the thread pool that runs it off the main thread. */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256File, sha256FileSync } from '../../src/sha256.js';

const run = promisify(execFile);
const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slides-sha256-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Sizes around the 1 MiB read: empty, one byte, one read exactly, one byte over, several reads. */
function files(): { path: string; bytes: Buffer }[] {
  return [0, 1, 1 << 20, (1 << 20) + 1, 3_500_001].map((size, i) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f${i}.bin`);
    writeFileSync(path, bytes);
    return { path, bytes };
  });
}

describe('sha256FileSync', () => {
  it('hashes as sha256File does, and writes a copy of exactly the bytes it hashed', async () => {
    for (const [i, { path, bytes }] of files().entries()) {
      const copy = join(dir, `copy-${i}`);
      expect(sha256FileSync(path, copy)).toBe(hex(bytes));
      expect(await sha256File(path)).toBe(hex(bytes));
      expect(readFileSync(copy).equals(bytes)).toBe(true);
    }
  });

  it('never writes over a file that is there, and leaves no copy when the read fails', () => {
    const [, one] = files();
    const taken = join(dir, 'taken');
    writeFileSync(taken, 'keep me');
    expect(() => sha256FileSync(one?.path as string, taken)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(taken, 'utf8')).toBe('keep me');

    expect(() => sha256FileSync(join(dir, 'missing.jpg'), join(dir, 'never'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    const folder = join(dir, 'a folder');
    mkdirSync(folder);
    expect(() => sha256FileSync(folder, join(dir, 'half'))).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(readdirSync(dir).filter((n) => n === 'never' || n === 'half')).toEqual([]);
  });
});

describe('sha256OffThread (the built pool, in a process of its own)', () => {
  const pool = fileURLToPath(new URL('../../dist/sha256Pool.js', import.meta.url));

  it('hashes on its threads, copies, names a missing file as fs does, and lets the process end', async () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/sha256Worker.js', import.meta.url)))).toBe(true);
    const given = files();
    // Top-level awaits on threads that are up and idle: were they not holding the process while
    // they work, it would end early (exit 13) without printing.
    const script = `
      import { sha256OffThread } from ${JSON.stringify(pool)};
      const paths = ${JSON.stringify(given.map((f) => f.path))};
      await Promise.all([sha256OffThread(paths[1]), sha256OffThread(paths[1])]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const hashes = await Promise.all(paths.map((p, i) => sha256OffThread(p, i === 4 ? ${JSON.stringify(join(dir, 'copied'))} : undefined)));
      const missing = await sha256OffThread(${JSON.stringify(join(dir, 'missing.jpg'))}).catch((e) => ({ code: e.code, message: e.message }));
      console.log(JSON.stringify({ hashes, missing }));`;
    const file = join(dir, 'hash.mjs');
    writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file], { timeout: 20_000 });
    const out = JSON.parse(stdout) as { hashes: string[]; missing: { code: string; message: string } };
    expect(out.hashes).toEqual(given.map((f) => hex(f.bytes)));
    expect(readFileSync(join(dir, 'copied')).equals(given[4]?.bytes as Buffer)).toBe(true);
    expect(out.missing.code).toBe('ENOENT');
    expect(out.missing.message).toContain('missing.jpg');
  });
});
