/**
 * A render lets go of the embedded database while its slides and video are made: another
 * command run meanwhile (here `slides files list`, while the render's ffmpeg runs) answers at
 * once instead of waiting for the render to end, and the render still records its group.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';

const PHOTOS = 10;
let home: string;
const env = () => ({ ...process.env, SLIDES_HOME: home, SLIDES_TIMEZONE: 'UTC', NO_COLOR: '1' });

function slides(args: string[]): Promise<CliResult> {
  return runCli(args, { env: env() });
}

/** Whether an ffmpeg started with this test's SLIDES_HOME is running. */
function ffmpegRunning(): boolean {
  return readdirSync('/proc').some((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      return environ.includes(`SLIDES_HOME=${home}`) && /ffmpeg/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-suspend-cli-'));
  const photos = join(home, 'photos');
  await mkdir(photos);
  for (let i = 0; i < PHOTOS; i++) {
    await sharp({ create: { width: 1200, height: 1600, channels: 3, background: { r: 25 * i, g: 110, b: 190 } } }).jpeg().toFile(join(photos, `p${i}.jpg`));
  }
  expect((await slides(['upload', photos])).code).toBe(0);
  expect((await slides(['session', 'new', '--all', '--yes', '--frequency', '3'])).code).toBe(0);
}, 60_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('a render and another command at once', () => {
  it('slides files list answers while the render encodes its video, without waiting for the database', async () => {
    const render = spawn(process.execPath, [BIN, 'render', '--no-upload', '--json'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    render.stdout.on('data', (d) => (stdout += d));
    render.stderr.on('data', (d) => (stderr += d));
    let running = true;
    const exited = new Promise<number>((resolve) => render.on('exit', (code) => ((running = false), resolve(code ?? -1))));

    await expect.poll(() => ffmpegRunning() || !running, { timeout: 60_000, interval: 50 }).toBe(true);
    expect(running, stderr).toBe(true);
    const listed = await slides(['files', 'list', '--json']);
    const renderStillRunning = running;

    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).not.toMatch(/Waiting for another slides command/);
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(PHOTOS);
    expect(renderStillRunning).toBe(true);

    expect(await exited, stderr).toBe(0);
    const result = JSON.parse(stdout) as { groupNumber: number; video: string | null };
    expect(result.groupNumber).toBe(1);
    expect(result.video).toMatch(/video\.mp4$/);
  }, 120_000);
});
