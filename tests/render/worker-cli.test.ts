/**
 * The render's worker process through the built binary: it is started as soon as the group is
 * claimed, while the sources are fetched, so a fetch that fails must still end the command with
 * its own error and leave no worker behind.
 */
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

let home: string;

function slides(args: string[]): Promise<CliResult> {
  return runCli(args, { env: { ...process.env, SLIDES_HOME: home, SLIDES_TIMEZONE: 'UTC', NO_COLOR: '1' } });
}

/** Processes (other than this one) started with this test's SLIDES_HOME. */
function processesOfHome(): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SLIDES_HOME=${home}`);
    } catch {
      return false;
    }
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-worker-cli-'));
  const photos = join(home, 'photos');
  await mkdir(photos);
  for (let i = 0; i < 3; i++) {
    await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 60 * i, g: 120, b: 200 } } }).jpeg().toFile(join(photos, `p${i}.jpg`));
  }
  expect((await slides(['upload', photos])).code).toBe(0);
  expect((await slides(['session', 'new', '--all', '--yes', '--frequency', '3'])).code).toBe(0);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('the render worker', () => {
  it('a source gone from storage fails the render at its fetch, with no worker left; put back, the render succeeds', async () => {
    const bucket = join(home, 'data', 'storage', 'Sources');
    const [user] = readdirSync(bucket);
    const [object] = readdirSync(join(bucket, user as string)).sort();
    const path = join(bucket, user as string, object as string);
    renameSync(path, `${path}.away`);

    const failed = await slides(['render', '--no-upload']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/could not fetch p\d\.jpg/);
    expect(failed.stderr).not.toMatch(/worker process stopped/);
    expect(processesOfHome()).toEqual([]);

    renameSync(`${path}.away`, path);
    const rendered = await slides(['render', '--no-upload', '--no-video']);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('slide-03.jpg');
  });
});
