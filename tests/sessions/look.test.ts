import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userMessage } from '../../src/cli/settingFlags.js';
import { runSessionEdit } from '../../src/commands/session/edit.js';
import { runSessionNew } from '../../src/commands/session/new.js';
import type { Backend } from '../../src/db/backend.js';
import { InvalidSetting, StoredSettingInvalid } from '../../src/errors.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import { loadSession } from '../../src/services/sessions/load.js';
import { storedLookOf } from '../../src/services/sessions/sessionLook.js';
import { tone } from '../media/video-fixtures.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { stubbedProject, type StubbedProject } from '../supabase/fixture.js';
import { seedUploaded, writePhotos } from './fixtures.js';

const backends: Array<{ name: string; open: () => Promise<{ user: Backend; close: () => Promise<void> }> }> = [
  {
    name: 'local',
    open: async () => {
      const t: TestDatabase = await testDatabase();
      return { user: await t.user(), close: () => t.close() };
    },
  },
  {
    name: 'supabase (stub)',
    open: async () => {
      const project: StubbedProject = await stubbedProject();
      return { user: await project.backendFor(), close: () => project.stub.close() };
    },
  },
];

describe.each(backends)('a session keeps its look and post settings ($name)', ({ open }) => {
  let user: Backend;
  let close: () => Promise<void>;
  let dir: string;
  let song: string;

  beforeEach(async () => {
    ({ user, close } = await open());
    dir = mkdtempSync(join(tmpdir(), 'slides-look-'));
    await seedUploaded(user, await writePhotos(dir, ['a.jpg', 'b.jpg']));
    song = await tone(resolveFfmpeg(process.env).path, dir, 2, 'song.m4a');
  });
  afterEach(async () => close());

  const ctx = () => testContext({ backend: user, settings: { timezone: 'UTC' } }).ctx;

  it('session new stores every look and post flag given, and the music once in Sources as an audio file', async () => {
    const created = await runSessionNew(
      {
        all: true,
        frequency: 1,
        yes: true,
        style: 'box',
        boxColor: 'yellow',
        position: 'bottom',
        slideDuration: 2,
        audio: song,
        postCaption: 'Day {n} | Night {n}',
        hashtags: '#lisbon travel',
        publish: 'direct',
        privacy: 'SELF_ONLY',
        allowComments: true,
      },
      ctx(),
    );
    const session = (await loadSession(user.rows, created?.session.id)).session;
    const [audio] = await user.rows.select('source_files', { where: { file_type: 'audio' } });
    expect(audio).toMatchObject({ original_name: 'song.m4a', file_path: `${user.identity.userId}/${audio?.sha256}.m4a` });
    expect(session.render_settings).toEqual({
      style: 'box',
      boxColor: 'yellow',
      position: 'bottom',
      slideDuration: 2,
      audio: { source_file_id: audio?.id, sha256: audio?.sha256, name: 'song.m4a' },
    });
    expect(session.post_settings).toEqual({
      postCaption: 'Day {n} | Night {n}',
      hashtags: ['#lisbon', '#travel'],
      publish: 'direct',
      privacy: 'SELF_ONLY',
      allowComments: true,
    });
    expect((await user.storage.list('Sources', `${user.identity.userId}/`)).map((o) => o.key)).toContain(audio?.file_path);

    // The same music for a second session: the project has it, nothing is uploaded again.
    const second = await runSessionNew({ all: true, frequency: 1, yes: true, audio: song }, ctx());
    expect(await user.rows.select('source_files', { where: { file_type: 'audio' } })).toHaveLength(1);
    expect((await loadSession(user.rows, second?.session.id)).session.render_settings).toEqual({
      audio: { source_file_id: audio?.id, sha256: audio?.sha256, name: 'song.m4a' },
    });
    // Music is no photo: --all does not pick it as an item.
    expect((await loadSession(user.rows, second?.session.id)).items).toHaveLength(2);
  });

  it('session edit sets what it is given over the stored look and keeps the rest', async () => {
    const created = await runSessionNew({ all: true, frequency: 1, yes: true, style: 'box', boxColor: 'red' }, ctx());
    const id = created?.session.id as string;
    const edited = await runSessionEdit({ id, style: 'outline', transition: 'none', hashtags: '#a' }, ctx());
    expect(edited.lookChanged).toBe(true);
    expect(edited.session.render_settings).toEqual({ style: 'outline', boxColor: 'red', transition: 'none' });
    expect(edited.session.post_settings).toEqual({ hashtags: ['#a'] });
  });

  it('session edit with an empty post text or hashtags removes the stored one', async () => {
    const created = await runSessionNew({ all: true, frequency: 1, yes: true, postCaption: 'Day {n}', hashtags: '#a #b', allowDuet: true }, ctx());
    const id = created?.session.id as string;
    const cleared = await runSessionEdit({ id, postCaption: '' }, ctx());
    expect(cleared.session.post_settings).toEqual({ hashtags: ['#a', '#b'], allowDuet: true });
    expect((await runSessionEdit({ id, hashtags: ' ' }, ctx())).session.post_settings).toEqual({ allowDuet: true });
  });

  it('refuses a bad look or post value by its field, before anything is created', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ slideDuration: 0 }, 'slideDuration', /^--slide-duration 0: expected a number of seconds above 0/],
      [{ textColor: 'blurple' }, 'textColor', /^--text-color blurple: not a colour/],
      [{ postCaption: 'Day {day}' }, 'postCaption', /^--post-caption Day \{day\}: unknown placeholder \{day\}/],
      [{ hashtags: '#ok #not-ok' }, 'hashtags', /^--hashtags #not-ok: not a hashtag/],
      [{ publish: 'direct' }, 'publish', /^--publish direct: a direct post needs a privacy level/],
      [{ postCaption: 'x'.repeat(2201) }, 'postCaption', /TikTok takes at most 2200 for a video/],
      [{ postCaption: 'Day {n} |  | Night {n}' }, 'postCaption', /^--post-caption Day \{n\} \|  \| Night \{n\}: alternative 2 is empty/],
      [{ postCaption: 'Day {n} | ' }, 'postCaption', /^--post-caption Day \{n\} \| : alternative 2 is empty/],
      [{ audio: join(dir, 'a.jpg') }, 'audio', /^--audio .*a\.jpg: not a music file/],
    ];
    for (const [flags, field, message] of cases) {
      const error = await runSessionNew({ all: true, frequency: 1, yes: true, ...flags }, ctx()).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(InvalidSetting);
      expect((error as InvalidSetting).field).toBe(field);
      expect(userMessage(error)).toMatch(message);
    }
    expect(await user.rows.select('media_sessions')).toEqual([]);
  });

  it('a stored setting this version does not take is an error naming the session and the setting; an edit drops it', async () => {
    const created = await runSessionNew({ all: true, frequency: 1, yes: true }, ctx());
    const id = created?.session.id as string;
    const storedError = async (render_settings: Record<string, unknown>) => {
      await user.rows.rpc('slides_edit_session', { p_session_id: id, p_items: [], p_settings: { render_settings } });
      const session = (await loadSession(user.rows, id)).session;
      try {
        storedLookOf(session);
      } catch (e) {
        return e;
      }
      return expect.unreachable('the stored look was taken');
    };
    const neon = await storedError({ style: 'neon' });
    expect(neon).toBeInstanceOf(StoredSettingInvalid);
    expect(userMessage(neon)).toBe(`session ${id.slice(0, 8)} stores style neon (--style): not a value this version of slides takes (not one of the choices)`);
    expect((neon as StoredSettingInvalid).hint).toMatch(new RegExp(`^one of outline, box, shadow, translucent; set it again with slides session edit ${id.slice(0, 8)}`));
    expect(userMessage(await storedError({ glow: 3 }))).toBe(`session ${id.slice(0, 8)} stores glow 3: not a setting this version of slides knows`);
    await storedError({ style: 'neon', glow: 3 }).catch(() => undefined);

    const edited = await runSessionEdit({ id, style: 'shadow' }, ctx());
    expect(edited.session.render_settings).toEqual({ style: 'shadow' });
    expect(edited.warnings.map((w) => w.text).join('\n')).toMatch(/dropped the stored setting glow/);
  });
});
