/** `slides render` through the built binary (run `npm run build` first; `npm test` does). */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import type { MediaSession, SessionMediaItem, SlideGroup } from '../../src/db/types.js';
import type { Manifest } from '../../src/services/render/manifest.js';
import { writePhoto } from './seed.js';
import { runCli, type CliResult } from '../helpers/cli.js';

// 10:00 in Paris; 00:30 the next day in Paris is still 10 June in UTC.
const MORNING = '2025-06-10T08:00:00.000Z';
const NEXT_LOCAL_DAY = '2025-06-10T22:30:00.000Z';

let home: string;

function slides(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: { ...process.env, SLIDES_HOME: home, SLIDES_TIMEZONE: 'Europe/Paris', SLIDES_NOW: MORNING, NO_COLOR: '1', ...env } });
}

async function dbState(): Promise<{ session: MediaSession; groups: SlideGroup[]; items: SessionMediaItem[]; userId: string }> {
  const db = await openPglite({ dataDir: join(home, 'data', 'db') });
  try {
    const [session] = (await db.query<MediaSession>('SELECT * FROM media_sessions WHERE is_active')).rows;
    if (!session) throw new Error('no active session');
    const groups = (await db.query<SlideGroup>('SELECT * FROM slide_groups ORDER BY created_at, group_number')).rows;
    const items = (await db.query<SessionMediaItem>('SELECT * FROM session_media_items ORDER BY position')).rows;
    const [user] = (await db.query<{ id: string }>('SELECT id FROM auth.users')).rows;
    return { session, groups, items, userId: user?.id ?? '' };
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-render-cli-'));
  const photos = join(home, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < 3; i++) await writePhoto(photos, i);
  writeFileSync(join(home, 'captions.txt'), 'golden hour ✨\nthe valley | the hills\nsee you tomorrow 👋\n');
  const upload = await slides(['upload', photos]);
  expect(upload.code, upload.stderr).toBe(0);
  const session = await slides(['session', 'new', '--all', '--yes', '--frequency', '3', '--captions', join(home, 'captions.txt')]);
  expect(session.code, session.stderr).toBe(0);
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('slides render (binary, local backend)', () => {
  it('renders a group into Exports and records it; counts the day, refuses past the cap, resets on the next local day', async () => {
    const first = await slides(['render', '--slide-duration', '1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { groupId: string; exports: { folder: string }; createdToday: number };
    expect(result.createdToday).toBe(1);

    let state = await dbState();
    const stamp = `2025-06-10T08-00-00Z-${result.groupId.slice(0, 8)}`;
    const prefix = `${state.userId}/${state.session.id}/${stamp}`;
    expect(result.exports.folder).toBe(prefix);
    const exported = join(home, 'data', 'storage', 'Exports', ...prefix.split('/'));
    expect(readdirSync(exported).sort()).toEqual(['manifest.json', 'slide-01.jpg', 'slide-02.jpg', 'slide-03.jpg', 'video.mp4']);
    const manifest = JSON.parse(readFileSync(join(exported, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.sources.map((s) => s.caption)).toEqual(['golden hour ✨', 'the valley', 'see you tomorrow 👋']);
    expect(state.groups).toMatchObject([{ status: 'done', slide_count: 3, group_number: 1, folder: prefix, video_path: `${prefix}/video.mp4` }]);
    expect(state.items.map((i) => i.processed_file_path)).toEqual([1, 2, 3].map((n) => `${prefix}/slide-0${n}.jpg`));
    expect(state.session).toMatchObject({ created_per_day: 1, groups_created: 1, exported_video_path: `${prefix}/video.mp4` });

    const second = await slides(['render', '--no-video']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Slide group 2 done (2 of 3 today)');
    expect((await dbState()).session.created_per_day).toBe(2);

    const third = await slides(['render', '--no-video']);
    expect(third.code, third.stderr).toBe(0);
    const refused = await slides(['render']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already has 3 of its 3 groups for today; the next one is allowed at 2025-06-11 00:00 (Europe/Paris)');
    expect(refused.stderr).toContain('pass --force');
    state = await dbState();
    expect(state.session.created_per_day).toBe(3);
    expect(state.groups).toHaveLength(3);

    const nextDay = await slides(['render', '--no-video'], { SLIDES_NOW: NEXT_LOCAL_DAY });
    expect(nextDay.code, nextDay.stderr).toBe(0);
    expect(nextDay.stdout).toContain('Slide group 4 done (1 of 3 today)');
    expect((await dbState()).session).toMatchObject({ created_per_day: 1, last_run_at: new Date(NEXT_LOCAL_DAY), groups_created: 4 });
  });

  it('a broken ffmpeg fails the group: marked failed, nothing counted, the local folder named and kept', async () => {
    const before = await dbState();
    const bad = join(home, 'ffmpeg-that-fails');
    writeFileSync(bad, '#!/bin/sh\nexit 1\n');
    chmodSync(bad, 0o755);
    const run = await slides(['render'], { SLIDES_NOW: NEXT_LOCAL_DAY, FFMPEG_PATH: bad });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('the slide group failed while rendering the video');
    expect(run.stderr).toContain('nothing was counted for today');
    const folder = /the local folder is kept at (\S+)/.exec(run.stderr)?.[1] ?? '';
    expect(existsSync(join(folder, 'slide-01.jpg'))).toBe(true);

    const after = await dbState();
    expect(after.session).toMatchObject({ created_per_day: before.session.created_per_day, groups_created: before.session.groups_created });
    const failed = after.groups.at(-1);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.error).toContain(`${bad} does not run as ffmpeg`);
    const exportsOfSession = join(home, 'data', 'storage', 'Exports', before.userId, before.session.id);
    expect(readdirSync(exportsOfSession)).toHaveLength(before.groups.length);
  });
});
