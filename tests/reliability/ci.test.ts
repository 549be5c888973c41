import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';

const SUMMARY = fileURLToPath(new URL('../../.ci/summary.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'slides-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const test = (fullName: string, status: string) => ({ fullName, status });

/** Runs the CI summary over a vitest JSON report holding these files. */
function summarise(files: { name: string; status: string; message?: string; assertionResults: ReturnType<typeof test>[] }[], ci: boolean) {
  const report = join(dir, `${Math.random()}.json`);
  writeFileSync(report, JSON.stringify({ testResults: files.map((f) => ({ message: '', ...f })) }));
  const run = spawnSync(process.execPath, [SUMMARY, report], { env: { PATH: process.env.PATH, CI: ci ? 'true' : 'false' }, encoding: 'utf8' });
  return { code: run.status, lines: run.stdout.trim().split('\n') };
}

const real = test('Backend contract: supabase (real project): skipped, set SLIDES_TEST_SUPABASE_URL runs against a real Supabase project', 'skipped');
const passing = { name: 'a.test.ts', status: 'passed', assertionResults: [test('one', 'passed'), test('two', 'passed'), real] };

describe('the CI summary line', () => {
  it('counts passed, failed and skipped; the real-project Supabase suite is named, not counted', () => {
    const { code, lines } = summarise([passing], true);
    expect(code).toBe(0);
    expect(lines).toEqual([
      'not run, needs a real project: Backend contract: supabase (real project): skipped, set SLIDES_TEST_SUPABASE_URL runs against a real Supabase project',
      'tests: 2 passed, 0 failed, 0 skipped',
    ]);
  });

  it('with CI=true any other skip fails the run, naming the test; off CI it is only counted', () => {
    const files = [passing, { name: 'b.test.ts', status: 'passed', assertionResults: [test('the real crontab binary installs', 'skipped'), test('later', 'todo')] }];
    const onCi = summarise(files, true);
    expect(onCi.code).toBe(1);
    expect(onCi.lines).toContain('skipped: the real crontab binary installs');
    expect(onCi.lines.at(-1)).toMatch(/^tests: 2 passed, 0 failed, 2 skipped/);
    expect(summarise(files, false).code).toBe(0);
  });

  it('a file that failed before its tests ran counts as a failure', () => {
    const broken = { name: 'c.test.ts', status: 'failed', message: 'Error: tmux is not installed and CI=true\n  at …', assertionResults: [] };
    const { code, lines } = summarise([passing, broken], false);
    expect(code).toBe(1);
    expect(lines).toContain('failed to run: c.test.ts: Error: tmux is not installed and CI=true');
    expect(lines.at(-1)).toMatch(/^tests: 2 passed, 1 failed, 0 skipped/);
  });
});

describe('a test that needs a system tool', () => {
  it('skips without it off CI, and fails without it under CI=true', () => {
    const saved = process.env.CI;
    try {
      process.env.CI = 'false';
      expect(skipWithout('tmux', false, 'apt-get install -y tmux')).toBe(true);
      expect(skipWithout('tmux', true, 'apt-get install -y tmux')).toBe(false);
      process.env.CI = 'true';
      expect(() => skipWithout('tmux', false, 'apt-get install -y tmux')).toThrow(/tmux is not installed and CI=true.*apt-get install -y tmux/);
      expect(skipWithout('tmux', true, 'apt-get install -y tmux')).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});
