import { describe, expect, test } from 'vitest';
import { runConfigGet } from '../../src/commands/config/get.js';
import { runConfigList } from '../../src/commands/config/list.js';
import { runConfigSet } from '../../src/commands/config/set.js';
import { runProfileList } from '../../src/commands/profile/list.js';
import { runProfileRm } from '../../src/commands/profile/rm.js';
import { runProfileUse } from '../../src/commands/profile/use.js';
import { readConfigFile, resolveConfig } from '../../src/config.js';
import { currentProfile } from '../../src/profiles.js';
import { resolvePaths } from '../../src/paths.js';
import { UsageError } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';

const KEY = 'eyJhbGciOiJIUzI1NiJ9.anon-key-for-tests.signature';

describe('slides config', () => {
  test('set saves pairs, makes supabase the default backend, and never shows the anon key', async () => {
    const { ctx, output } = testContext();
    await runConfigSet(['supabase.url', 'https://abcd.supabase.co', 'supabase.anonKey', KEY], ctx);
    expect(output.stdout + output.stderr).not.toContain(KEY);
    expect(output.stderr).toContain('supabase is now the default backend');
    ctx.config = resolveConfig({}, ctx.env, readConfigFile(ctx.paths.config));
    expect(ctx.config.backend()).toBe('supabase');
    expect(await runConfigGet('supabase.anonKey', ctx)).toEqual({ key: 'supabase.anonKey', value: `********(${KEY.length} chars)`, source: 'file' });
    const listed = await runConfigList(ctx);
    expect(listed.backend).toBe('supabase');
    expect(JSON.stringify(listed)).not.toContain(KEY);
    expect(output.stdout).not.toContain(KEY);
  });

  test('a bad value or an odd number of arguments changes nothing', async () => {
    const { ctx } = testContext();
    await expect(runConfigSet(['timezone', 'Europe/Paris', 'render.preset', '2:3'], ctx)).rejects.toThrow(UsageError);
    await expect(runConfigSet(['timezone'], ctx)).rejects.toThrow(UsageError);
    await expect(runConfigGet('nope', ctx)).rejects.toThrow(UsageError);
    expect(readConfigFile(ctx.paths.config)).toEqual({});
  });
});

describe('slides profile', () => {
  test('use switches the current profile, list shows it, rm deletes it and falls back to default', async () => {
    const { ctx, output } = testContext();
    expect(await runProfileUse('creator-b', ctx)).toEqual({ profile: 'creator-b', created: true });
    const defaults = resolvePaths(ctx.env, 'default');
    expect(currentProfile(defaults)).toBe('creator-b');
    const b = { ...ctx, paths: resolvePaths(ctx.env, 'creator-b'), profile: 'creator-b' };
    await runConfigSet(['timezone', 'Europe/Paris'], b);
    expect((await runProfileList(b)).profiles).toEqual(['default', 'creator-b']);
    expect(output.stdout).toContain('* creator-b');
    await expect(runProfileRm('creator-b', {}, ctx)).rejects.toThrow(/no terminal/);
    expect(await runProfileRm('creator-b', { yes: true }, ctx)).toEqual({ removed: 'creator-b', current: 'default' });
    expect((await runProfileList(ctx)).profiles).toEqual(['default']);
    await expect(runProfileRm('default', { yes: true }, ctx)).rejects.toBeInstanceOf(UsageError);
    await expect(runProfileUse('../etc', ctx)).rejects.toBeInstanceOf(UsageError);
  });
});
