import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalBackend } from '../../src/db/local/open.js';
import { BIN, runCli } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { skipWithout } from '../helpers/tools.js';

// util-linux's script(1) (Debian's bsdutils, an essential package) gives the CLI a real terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;

let home: string;
let photos: string;

/** A home whose local database exists, so each run spins only for the upload's scan. */
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-terminal-'));
  photos = join(home, 'empty');
  mkdirSync(photos);
  await (await openLocalBackend({ dataRoot: testContext({ home }).ctx.paths.data })).close();
}, 120_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

const quote = (s: string) => `'${s.replace(/'/g, `'"'"'`)}'`;

/** Every byte `slides ARGS` writes to an 80-column terminal (stdout and stderr share it, unless stdout goes to `stdoutFile`). */
function onTerminal(args: string[], env: Record<string, string>, stdoutFile?: string): { code: number | null; screen: string } {
  const vars = Object.entries({ SLIDES_HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', ...env })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ');
  const command = `stty cols 80 rows 24; exec env -i ${vars} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}${stdoutFile ? ` > ${quote(stdoutFile)}` : ''}`;
  const ran = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: ran.status, screen: ran.stdout };
}

const SPINNER_FRAME = /[\u2800-\u28ff](?:\u001b\[39m)? Looking for photos and clips/;
const SGR_COLOUR = /\u001b\[(?:3\d|9\d|1|2)m/;

describe.skipIf(skipWithout('script', hasScript, 'apt-get install -y bsdutils'))('colours and spinners on a terminal', () => {
  // A missing folder: the scan spins, then the command fails with a (red) error line.
  const args = () => ['upload', join(photos, 'missing')];

  it('a plain terminal gets the spinner and colours', () => {
    const { code, screen } = onTerminal(args(), {});
    expect(code).toBe(2);
    expect(screen).toMatch(SPINNER_FRAME);
    expect(screen).toMatch(/\u001b\[36m[\u2800-\u28ff]\u001b\[39m/);
    expect(screen).toMatch(/\u001b\[31merror:\u001b\[39m/);
  });

  it.each([
    ['NO_COLOR=1', [], { NO_COLOR: '1' }],
    ['--no-color', ['--no-color'], {}],
  ] as const)('%s: the spinner is drawn, without a single colour', (_case, flags, env) => {
    const { code, screen } = onTerminal([...flags, ...args()], env);
    expect(code).toBe(2);
    expect(screen).toMatch(SPINNER_FRAME);
    expect(screen).not.toMatch(SGR_COLOUR);
    expect(screen).toContain('error: ');
  });

  it.each([
    ['--no-color', ['--no-color'], {}],
    ['TERM=dumb', [], { TERM: 'dumb' }],
  ] as const)('%s holds for an error found before the command starts (a bad --profile)', (_case, flags, env) => {
    const { code, screen } = onTerminal([...flags, '--profile', '../x', 'files', 'list'], env);
    expect(code).toBe(2);
    expect(screen).toMatch(/^error: .*\^\[a-z0-9\]/);
    expect(screen).not.toContain('\u001b');
  });

  it('an empty NO_COLOR is no NO_COLOR (no-color.org)', () => {
    expect(onTerminal(args(), { NO_COLOR: '' }).screen).toMatch(/\u001b\[31merror:/);
  });

  it('TERM=dumb: no spinner, no colour, no escape sequence at all', () => {
    const { code, screen } = onTerminal(args(), { TERM: 'dumb' });
    expect(code).toBe(2);
    expect(screen).not.toMatch(/[\u2800-\u28ff]/);
    expect(screen).not.toContain('\u001b');
    expect(screen).not.toContain('Looking for photos');
    expect(screen).toContain('error: ');
  });
});

describe.skipIf(skipWithout('script', hasScript, 'apt-get install -y bsdutils'))('listings follow where stdout goes', () => {
  beforeAll(async () => {
    const shoot = join(home, 'shoot');
    mkdirSync(shoot);
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } }).png().toFile(join(shoot, 'sky.png'));
    expect((await runCli(['upload', shoot], { env: { SLIDES_HOME: home } })).code).toBe(0);
  }, 120_000);

  it.each([['files', 'list'], ['session', 'list']])('%s %s on a terminal is a table; redirected to a file, tab-separated lines', async (...command) => {
    if (command[0] === 'session') {
      expect((await runCli(['session', 'new', '--all', '--frequency', '1', '--yes'], { env: { SLIDES_HOME: home } })).code).toBe(0);
    }
    const screen = onTerminal(command, {});
    expect(screen.code).toBe(0);
    expect(screen.screen).toMatch(/^\s*ID\s{2,}[A-Z]+\s{2,}/m);
    const file = join(home, `${command[0]}.txt`);
    const redirected = onTerminal(command, {}, file);
    expect(redirected.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^[0-9a-f-]{36}\t/);
    expect(lines[0]).not.toContain('\u001b');
  });
});

describe('off a terminal', () => {
  it('no spinner, no colour, no escape sequence, even when FORCE_COLOR asks', async () => {
    const result = await runCli(['upload', join(photos, 'missing')], { env: { SLIDES_HOME: home, FORCE_COLOR: '3', TERM: 'xterm-256color' } });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toContain('Looking for photos');
    expect(result.stderr).toMatch(/^error: /);
  });
});
