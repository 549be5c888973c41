import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** A module hook that writes down every package the CLI resolves, to prove what --help loads. */
function recordingHook(dir: string): { hook: string; log: string } {
  const log = join(dir, 'resolved.txt');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`,
  );
  const hook = join(dir, 'register.mjs');
  writeFileSync(hook, `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`);
  return { hook, log };
}

const HEAVY = ['sharp', '@electric-sql/pglite', '@supabase/supabase-js', 'fontkit', '@napi-rs/keyring', 'zod', 'ora', '@inquirer', 'string-width'];

describe('start-up', () => {
  for (const args of [['--help'], ['--version'], ['session', '--help'], ['render', '--help']]) {
    it(`slides ${args.join(' ')} loads no heavy module and opens no database`, async () => {
      const home = mkdtempSync(join(tmpdir(), 'slides-startup-'));
      const { hook, log } = recordingHook(home);
      const result = await runCli(args, { env: { SLIDES_HOME: home, NODE_OPTIONS: `--import=${hook}` } });
      expect(result.code).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
      const resolved = readFileSync(log, 'utf8');
      expect(resolved).toContain('commander');
      for (const heavy of HEAVY) expect(resolved, heavy).not.toContain(`/node_modules/${heavy}`);
      expect(existsSync(join(home, 'data'))).toBe(false);
    });
  }
});

describe('usage errors', () => {
  it('an unknown command exits 2 with one line and a hint, suggesting the near one', async () => {
    const r = await runCli(['uplaod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'uplaod'/);
    expect(r.stderr).toMatch(/Did you mean upload\?/);
    expect(r.stderr).toMatch(/slides --help/);
    expect(r.stdout).toBe('');
  });

  it('an unknown flag exits 2', async () => {
    const r = await runCli(['db', 'sql', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('a bad --backend value exits 2 naming the setting', async () => {
    const home = mkdtempSync(join(tmpdir(), 'slides-usage-'));
    const r = await runCli(['--backend', 'mysql', 'db', 'check'], { env: { SLIDES_HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/invalid value for backend: expected one of local, supabase/);
  });

  it('a topic without a subcommand shows its help and exits 2', async () => {
    const r = await runCli(['session']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: slides session/);
  });
});

describe('--json', () => {
  it('prints exactly one JSON document on stdout', async () => {
    const r = await runCli(['db', 'sql', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Array<{ version: string }>;
    expect(doc.map((m) => m.version)).toContain('0001');
  });
});

describe('a reader that goes away', () => {
  it('slides db sql | true: the closed pipe is no crash, no stack trace, exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const pipeline = `set -o pipefail; "${process.execPath}" "${BIN}" db sql | true`;
    const child = spawn('bash', ['-c', pipeline], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
