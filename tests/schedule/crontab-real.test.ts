import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduleInstall } from '../../src/commands/schedule/install.js';
import { runScheduleRemove } from '../../src/commands/schedule/remove.js';
import { runScheduleStatus } from '../../src/commands/schedule/status.js';
import { testContext } from '../helpers/context.js';
import { skipWithout } from '../helpers/tools.js';

// macOS has crontab(1) but slides schedules with launchd there.
const usesCron = process.platform === 'linux';
const hasCrontab = spawnSync('sh', ['-c', 'command -v crontab']).status === 0;
const crontab = (...args: string[]) => spawnSync('crontab', args, { encoding: 'utf8' });
const setCrontab = (text: string) => execFileSync('crontab', ['-'], { input: text });

// Edits this user's real crontab, restoring it afterwards. Needs crontab(1): apt-get install cron.
describe.skipIf(!usesCron || skipWithout('crontab', hasCrontab, 'apt-get install -y cron'))('the real crontab binary (skipped when crontab is not installed: apt-get install cron)', () => {
  let saved: string | null;
  let home: string;

  beforeAll(() => {
    const listed = crontab('-l');
    saved = listed.status === 0 ? listed.stdout : null;
    home = mkdtempSync(join(tmpdir(), 'slides-real-cron-'));
  });
  afterAll(() => {
    if (saved === null) crontab('-r');
    else setCrontab(saved);
    rmSync(home, { recursive: true, force: true });
  });

  const ctx = () => testContext({ home, env: { PATH: process.env.PATH, HOME: home }, io: { json: true } });

  it('install keeps the other lines byte for byte, twice leaves one line, status sees it, remove restores the table', async () => {
    const others = '# slides test: other jobs\nMAILTO=""\n17 4 * * *\t/bin/true   --keep  "spacing"\n';
    setCrontab(others);
    const installed = await runScheduleInstall({ every: '20m' }, ctx().ctx);
    await runScheduleInstall({ every: '20m' }, ctx().ctx);
    expect(crontab('-l').stdout).toBe(`${others}${installed.text}\n`);

    const status = await runScheduleStatus({ runs: 5 }, ctx().ctx);
    expect(status.installed).toMatchObject({ kind: 'cron', everyMinutes: 20 });
    expect(status.upToDate).toBe(true);

    expect(await runScheduleRemove(ctx().ctx)).not.toBeNull();
    expect(crontab('-l').stdout).toBe(others);
  });

  it('with no crontab at all, install creates one and remove leaves an empty table', async () => {
    crontab('-r');
    const installed = await runScheduleInstall({ every: '1h' }, ctx().ctx);
    expect(crontab('-l').stdout).toBe(`${installed.text}\n`);
    await runScheduleRemove(ctx().ctx);
    expect(crontab('-l').stdout).toBe('');
  });
});
