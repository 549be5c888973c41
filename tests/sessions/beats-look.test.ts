/** Cutting on the beat as a session's look: session new|edit store --beats, --hold-range and --beat-offset. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLookOptions, lookFlags } from '../../src/cli/lookFlags.js';
import { userMessage } from '../../src/cli/settingFlags.js';
import { runSessionEdit } from '../../src/commands/session/edit.js';
import { runSessionNew } from '../../src/commands/session/new.js';
import type { Backend } from '../../src/db/backend.js';
import { InvalidSetting, MissingSetting } from '../../src/errors.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import type { LookFlags } from '../../src/services/render/look.js';
import { loadSession } from '../../src/services/sessions/load.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { tone } from '../media/video-fixtures.js';
import { seedUploaded, writePhotos } from './fixtures.js';

/** What the look flags of `session new|edit` parse these arguments into. */
function parsed(args: string[]): LookFlags {
  const command = addLookOptions(new Command().exitOverride());
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('the look flags for beats', () => {
  it.each([
    { args: ['--beats', '--hold-range', '2-3', '--beat-offset', '1.5'], look: { beats: true, holdRange: { min: 2, max: 3 }, beatOffset: 1.5 } },
    { args: ['--no-beats'], look: { beats: false } },
    { args: ['--hold-range', '4-1.5'], look: { holdRange: '4-1.5' } },
    { args: [], look: {} },
  ])('$args', ({ args, look }) => {
    expect(lookFlags(parsed(args))).toEqual(look);
  });
});

describe('a session keeps cutting on the beat', () => {
  let t: TestDatabase;
  let user: Backend;
  let song: string;

  beforeEach(async () => {
    t = await testDatabase();
    user = await t.user();
    const dir = mkdtempSync(join(tmpdir(), 'slides-beats-look-'));
    await seedUploaded(user, await writePhotos(dir, ['a.jpg', 'b.jpg']));
    song = await tone(resolveFfmpeg(process.env).path, dir, 2, 'song.m4a');
  });
  afterEach(async () => t.close());

  const ctx = () => testContext({ backend: user, settings: { timezone: 'UTC' } }).ctx;
  const base = { all: true, frequency: 1, yes: true } as const;

  it('session new stores --beats, --hold-range and --beat-offset with the music; session edit changes and turns them off', async () => {
    const created = await runSessionNew({ ...base, audio: song, ...parsed(['--beats', '--hold-range', '2-3', '--beat-offset', '12.5']) }, ctx());
    const id = created?.session.id as string;
    const stored = (await loadSession(user.rows, id)).session.render_settings;
    expect(stored).toMatchObject({ beats: true, holdRange: { min: 2, max: 3 }, beatOffset: 12.5, audio: { name: 'song.m4a' } });

    const edited = await runSessionEdit({ id, ...parsed(['--hold-range', '1.5-4']) }, ctx());
    expect(edited.session.render_settings).toMatchObject({ beats: true, holdRange: { min: 1.5, max: 4 }, beatOffset: 12.5 });
    const off = await runSessionEdit({ id, ...parsed(['--no-beats']) }, ctx());
    expect(off.session.render_settings).toMatchObject({ beats: false, holdRange: { min: 1.5, max: 4 } });
  });

  it('refuses --beats without music and a hold range that is none, naming the flags, before anything is created', async () => {
    const noMusic = await runSessionNew({ ...base, beats: true }, ctx()).catch((e: unknown) => e);
    expect(noMusic).toBeInstanceOf(MissingSetting);
    expect(userMessage(noMusic)).toBe('--beats needs --audio: the slides change on the beats of a song');
    for (const [args, message] of [
      [['--hold-range', '4-1.5'], '--hold-range 4-1.5: expected the shortest and the longest hold in seconds, above 0, shortest first (such as 1.5-4)'],
      [['--hold-range', 'often'], '--hold-range often: expected the shortest and the longest hold in seconds, above 0, shortest first (such as 1.5-4)'],
      [['--beat-offset', '-2'], '--beat-offset -2: expected a number of seconds 0 or more'],
    ] as const) {
      const error = await runSessionNew({ ...base, audio: song, ...parsed([...args]) }, ctx()).catch((e: unknown) => e);
      expect(error, args.join(' ')).toBeInstanceOf(InvalidSetting);
      expect(userMessage(error)).toBe(message);
    }
    expect(await user.rows.select('media_sessions')).toEqual([]);
  });
});
