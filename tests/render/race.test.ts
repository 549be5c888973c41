/**
 * Two `slides render` and one `slides run --due` started at once on one session, as real processes:
 * on the embedded backend (where renders take turns, letting go of the database while they make
 * their slides) and on the Supabase stub (where their requests interleave for real). Every
 * finished group has its own number and items no other group has, and the day's count is the
 * number of finished groups.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { openPglite } from '../../src/db/local/database.js';
import type { MediaSession, SessionMediaItem, SlideGroup } from '../../src/db/types.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { stubbedProject, type StubbedProject } from '../supabase/fixture.js';
import { writePhoto } from './seed.js';

// Paris, 18:00 local: all three of the day's slots (00:00, 08:00, 16:00) have passed.
const NOW = '2025-06-10T16:00:00.000Z';
const PHOTOS = 6;
const PER_GROUP = 2;

interface State {
  session: MediaSession;
  items: SessionMediaItem[];
  groups: SlideGroup[];
}

let root: string;
let photos: string;
let project: StubbedProject;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'slides-race-'));
  photos = join(root, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < PHOTOS; i++) await writePhoto(photos, i);
  project = await stubbedProject();
}, 60_000);
afterAll(async () => {
  await project.stub.close();
  rmSync(root, { recursive: true, force: true });
});

const BACKENDS: Record<string, () => Promise<{ env: NodeJS.ProcessEnv; state: () => Promise<State> }>> = {
  'the embedded backend': async () => {
    const home = join(root, 'local');
    return {
      env: { SLIDES_HOME: home },
      state: async () => {
        const db = await openPglite({ dataDir: join(home, 'data', 'db') });
        try {
          const [session] = (await db.query<MediaSession>('SELECT * FROM media_sessions WHERE is_active')).rows;
          const items = (await db.query<SessionMediaItem>('SELECT * FROM session_media_items WHERE session_id = $1', [session?.id])).rows;
          const groups = (await db.query<SlideGroup>('SELECT * FROM slide_groups WHERE session_id = $1', [session?.id])).rows;
          return { session: session as MediaSession, items, groups };
        } finally {
          await db.close();
        }
      },
    };
  },
  'Supabase (the stub)': async () => {
    const user = await project.stub.createUser();
    const token = project.stub.session(user).access_token;
    const backend: Backend = await project.backendFor(user);
    return {
      env: {
        SLIDES_HOME: join(root, 'supabase'),
        SUPABASE_URL: project.stub.url,
        SUPABASE_ANON_KEY: project.stub.anonKey,
        SLIDES_ACCESS_TOKEN: token,
        SLIDES_KEYCHAIN: 'off',
      },
      state: async () => {
        const [session] = await backend.rows.select('media_sessions', { where: { is_active: true } });
        const where = { where: { session_id: session?.id ?? '' } };
        return {
          session: session as MediaSession,
          items: await backend.rows.select('session_media_items', where),
          groups: await backend.rows.select('slide_groups', where),
        };
      },
    };
  },
};

describe.each(Object.keys(BACKENDS))('two slides render and one slides run --due at once, on %s', (name) => {
  it('every finished group has its own number and its own items; the day counts exactly the finished ones', async () => {
    const { env, state } = await (BACKENDS[name] as (typeof BACKENDS)[string])();
    const slides = (args: string[]) => runCli(args, { env: { ...env, SLIDES_TIMEZONE: 'Europe/Paris', SLIDES_NOW: NOW, NO_COLOR: '1' } });
    const setup = [
      await slides(['upload', photos]),
      await slides(['session', 'new', '--all', '--yes', '--frequency', '3', '--max-per-day', '3', '--per-group', String(PER_GROUP)]),
    ];
    for (const step of setup) expect(step.code, step.stderr).toBe(0);

    const runs: CliResult[] = await Promise.all([
      slides(['render', '--no-video', '--json']),
      slides(['render', '--no-video', '--json']),
      slides(['run', '--due', '--json']),
    ]);
    const [first, second, scheduled] = runs as [CliResult, CliResult, CliResult];
    for (const render of [first, second]) expect(render.code, render.stderr).toBe(0);
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const outcome = (JSON.parse(scheduled.stdout) as { outcome: string }).outcome;
    // The scheduled run may find the day's slots already used by the two renders: a clean "not due".
    expect(['rendered', 'not-due', 'taken']).toContain(outcome);
    const made = 2 + (outcome === 'rendered' ? 1 : 0);

    const { session, items, groups } = await state();
    const done = groups.filter((g) => g.status === 'done');
    expect(done).toHaveLength(made);
    expect(groups).toHaveLength(made);
    const numbers = done.map((g) => g.group_number).sort();
    expect(numbers).toEqual([1, 2, 3].slice(0, made));
    const taken = done.flatMap((g) => g.item_ids);
    expect(done.every((g) => g.item_ids.length === PER_GROUP)).toBe(true);
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.every((id) => items.some((i) => i.id === id))).toBe(true);
    expect(session.created_per_day).toBe(made);
    // Each command printed the group the database gave it.
    type Printed = { groupId: string; groupNumber: number };
    const printed = [first, second].map((r) => JSON.parse(r.stdout) as Printed);
    if (outcome === 'rendered') printed.push((JSON.parse(scheduled.stdout) as { result: Printed }).result);
    expect(printed.map((p) => `${p.groupNumber} ${p.groupId}`).sort()).toEqual(done.map((g) => `${g.group_number} ${g.id}`).sort());
  }, 300_000);
});
