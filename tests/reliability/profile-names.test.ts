import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const RULE = '^[a-z0-9][a-z0-9_-]{0,62}$';

let root: string;
let env: NodeJS.ProcessEnv;

/** Every file and folder under `dir`, with each file's mode and content hash. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const mode = (statSync(path).mode & 0o777).toString(8);
      if (entry.isDirectory()) {
        out[`${relative(dir, path)}/`] = mode;
        walk(path);
      } else out[relative(dir, path)] = `${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/** A default profile with data worth losing, another profile, and a crontab program that records any call. */
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'slides-names-'));
  const slides = join(root, 'slides');
  for (const [path, text] of [
    ['config/config.json', '{ "timezone": "Europe/Paris" }\n'],
    ['data/db/PG_VERSION', '17\n'],
    ['data/buckets/Sources/u/abc.jpg', 'jpeg'],
    ['state/schedule.log', 'ran\n'],
    ['cache/thumb', 'x'],
    ['config/profiles/alice/config.json', '{}\n'],
    ['data/profiles/alice/db/PG_VERSION', '17\n'],
  ] as const) {
    mkdirSync(join(slides, path, '..'), { recursive: true });
    writeFileSync(join(slides, path), text);
  }
  const crontab = join(root, 'bin', 'crontab');
  mkdirSync(join(root, 'bin'));
  writeFileSync(crontab, `#!/bin/sh\necho "$@" >> '${join(root, 'crontab-called')}'\n`);
  chmodSync(crontab, 0o755);
  mkdirSync(join(root, 'home'));
  env = { SLIDES_HOME: slides, HOME: join(root, 'home'), SLIDES_CRONTAB: crontab };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('a bad profile name is exit 2 naming the rule, and touches nothing', () => {
  it.each([
    [['profile', 'rm', '..'], {}],
    [['profile', 'rm', '..', '-y'], {}],
    [['profile', 'rm', '../..', '-y'], {}],
    [['profile', 'rm', 'alice/../..', '-y'], {}],
    [['profile', 'use', '../x'], {}],
    [['--profile', '../x', 'files', 'list'], {}],
    [['--profile', 'Alice', 'files', 'list'], {}],
    [['files', 'list'], { SLIDES_PROFILE: '../x' }],
    [['schedule', 'install', '--dry-run'], { SLIDES_PROFILE: 'a\nb' }],
    [['schedule', 'install'], { SLIDES_PROFILE: 'a\nb' }],
    [['schedule', 'remove'], { SLIDES_PROFILE: 'a\nb' }],
    [['run', '--due', '--quiet'], { SLIDES_PROFILE: '../x' }],
    [['profile', 'rm', '.', '-y'], {}],
    [['profile', 'rm', '/tmp', '-y'], {}],
    [['--profile', '..', 'render', '--no-video'], {}],
    [['--profile', 'a'.repeat(64), 'files', 'list'], {}],
  ] as const)('slides %j with %j', async (args, extra) => {
    const before = tree(root);
    const result = await runCli([...args], { env: { ...env, ...extra } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(RULE);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(tree(root)).toEqual(before);
  });

  it('a bad name in the current-profile file is refused naming the file', async () => {
    writeFileSync(join(root, 'slides', 'config', 'current-profile'), '../..\n');
    const before = tree(root);
    const result = await runCli(['profile', 'list'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(root, 'slides', 'config', 'current-profile'));
    expect(result.stderr).toContain('delete');
    expect(tree(root)).toEqual(before);
  });

  it('a good name still removes exactly its own folders', async () => {
    const before = tree(root);
    const result = await runCli(['profile', 'rm', 'alice', '-y'], { env });
    expect(result.code, result.stderr).toBe(0);
    const gone = Object.keys(before).filter((path) => !(path in tree(root)));
    expect(gone.sort()).toEqual(
      ['slides/config/profiles/alice/', 'slides/config/profiles/alice/config.json', 'slides/data/profiles/alice/', 'slides/data/profiles/alice/db/', 'slides/data/profiles/alice/db/PG_VERSION'].sort(),
    );
  });
});

describe('removeProfile', () => {
  it("refuses folders that are not one level inside a profiles folder (the default profile's own)", async () => {
    const { removeProfile } = await import('../../src/profiles.js');
    const before = tree(root);
    expect(() => removeProfile(env, 'default')).toThrow(/not a profile folder inside/);
    expect(tree(root)).toEqual(before);
  });
});
