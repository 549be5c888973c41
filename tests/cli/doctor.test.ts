import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('slides doctor', () => {
  it('checks each part on a fresh embedded backend, then names a broken ffmpeg with what to do and exits 4', async () => {
    const home = mkdtempSync(join(tmpdir(), 'slides-doctor-'));
    const env = { SLIDES_HOME: home, SLIDES_KEYCHAIN: 'off', SLIDES_CRONTAB: join(home, 'no-crontab-here') };
    const healthy = await runCli(['doctor', '--json'], { env });
    const report = JSON.parse(healthy.stdout) as { ok: boolean; checks: Check[] };
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    expect([...byName.keys()]).toEqual(['backend', 'schema', 'ffmpeg', 'transitions', 'ffprobe', 'font', 'keychain', 'schedule', 'tiktok']);
    expect(byName.get('tiktok')).toMatchObject({ status: 'warn', detail: 'not set up: slides cannot publish' });
    expect(byName.get('backend')).toMatchObject({ status: 'ok', detail: expect.stringContaining('local') });
    expect(byName.get('schema')).toMatchObject({ status: 'ok' });
    expect(byName.get('ffmpeg')).toMatchObject({ status: 'ok', detail: expect.stringContaining('libx264 yes') });
    expect(byName.get('font')).toMatchObject({ status: 'ok', detail: expect.stringContaining('TikTok Sans') });
    expect(byName.get('keychain')?.status).toBe('warn');
    expect(healthy.code).toBe(0);
    expect(report.ok).toBe(true);

    const broken = await runCli(['doctor'], { env: { ...env, FFMPEG_PATH: join(home, 'no-ffmpeg') } });
    expect(broken.code).toBe(4);
    expect(broken.stdout).toMatch(/fail\s+ffmpeg\s+FFMPEG_PATH=.*no-ffmpeg is not an executable file/);
    expect(broken.stdout).toMatch(/→ install ffmpeg or set FFMPEG_PATH/);
    expect(broken.stderr).toMatch(/error: 1 check failed: ffmpeg/);
  });
});

describe('slides doctor on the schedule', () => {
  it('names the command the installed entry runs (a publishing one too), and an entry edited by hand as out of date', async () => {
    const home = mkdtempSync(join(tmpdir(), 'slides-doctor-cron-'));
    const crontabFile = join(home, 'crontab');
    const program = join(home, 'fake-crontab');
    // Behaves like crontab(1): -l prints the table or fails with "no crontab", - replaces it from stdin.
    writeFileSync(
      program,
      ['#!/bin/sh', `f='${crontabFile}'`, 'case "$1" in', '  -l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab" >&2; exit 1; fi ;;', '  -) cat > "$f" ;;', 'esac', ''].join('\n'),
    );
    chmodSync(program, 0o755);
    const env = { SLIDES_HOME: home, SLIDES_KEYCHAIN: 'off', SLIDES_CRONTAB: program };
    const schedule = async () => {
      const doctor = await runCli(['doctor', '--json'], { env });
      return (JSON.parse(doctor.stdout) as { checks: Check[] }).checks.find((c) => c.name === 'schedule');
    };

    const installed = await runCli(['schedule', 'install', '--publish', 'direct', '--privacy', 'SELF_ONLY', '--yes'], { env });
    expect(installed.code, installed.stderr).toBe(0);
    expect(await schedule()).toMatchObject({
      status: 'ok',
      detail: 'cron entry runs slides run --due --quiet --publish direct --privacy SELF_ONLY --yes every 15 min',
    });

    writeFileSync(crontabFile, readFileSync(crontabFile, 'utf8').replace('--quiet', '--verbose'));
    expect(await schedule()).toMatchObject({ status: 'warn', detail: 'cron entry every 15 min is out of date (node, the CLI or settings moved)', fix: 'slides schedule install' });
  });
});
