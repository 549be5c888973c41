import { mkdtempSync } from 'node:fs';
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
