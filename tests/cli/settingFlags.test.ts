import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { FLAG_OF, userMessage } from '../../src/cli/settingFlags.js';
import { InvalidSetting } from '../../src/errors.js';

function longFlags(command: Command): string[] {
  return [...command.options.flatMap((o) => (o.long ? [o.long] : [])), ...command.commands.flatMap(longFlags)];
}

const program = buildProgram({ argv: [], env: {}, stdout: process.stdout, stderr: process.stderr, stdinIsTTY: false }, () => undefined);
const flags = new Set(longFlags(program));

describe('the flags error messages name', () => {
  it.each(Object.entries(FLAG_OF).filter(([, flag]) => flag.startsWith('--')))('%s is told to set %s, which a command has', (field, flag) => {
    expect(flags).toContain(flag);
    expect(userMessage(new InvalidSetting(field, 3, 'is wrong'))).toBe(`${flag} 3: is wrong`);
  });
});
