/**
 * A render killed at each of its database writes, before and after the write lands, then the
 * crash recovery the next render runs: every group ends finished and counted, or failed and not
 * counted, never in between (a kill cannot run any more code, so the killed render just stops).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Rows } from '../../src/db/backend.js';
import type { MediaSession, SourceFile } from '../../src/db/types.js';
import { recoverCrashedGroups } from '../../src/services/render/crashed.js';
import type { RenderOptions } from '../../src/services/render/group.js';
import { renderSlideGroup } from '../../src/services/render/renderSlideGroup.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { addSource, createSession, writePhoto } from './seed.js';

const ZONE = 'UTC';
const NOW = '2025-06-10T10:00:00.000Z';
const FAST: RenderOptions = { video: false, upload: true, preset: '1:1', style: 'outline', force: true };
const WRITES = ['insert', 'update', 'delete', 'rpc'] as const;

/** `rows` whose write `n` never answers, before it reaches the database or after it landed; `died` says when. */
function dyingAt(rows: Rows, n: number, when: 'before' | 'after'): { rows: Rows; died: Promise<string>; writes: () => number } {
  let count = 0;
  let die: (what: string) => void = () => undefined;
  const died = new Promise<string>((resolve) => (die = resolve));
  const wrapped = { ...rows };
  for (const name of WRITES) {
    const write = rows[name] as (...args: unknown[]) => Promise<unknown>;
    (wrapped as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      count += 1;
      if (count !== n) return write(...args);
      const what = `${when} write ${n} (${name} ${String(args[0])})`;
      if (when === 'after') await write(...args);
      die(what);
      return new Promise(() => undefined);
    };
  }
  return { rows: wrapped, died, writes: () => count };
}

let tdb: TestDatabase;
let photosDir: string;
let home: string;

beforeAll(async () => {
  tdb = await testDatabase();
  photosDir = mkdtempSync(join(tmpdir(), 'slides-photos-'));
  home = mkdtempSync(join(tmpdir(), 'slides-home-'));
});
afterAll(async () => {
  await tdb.close();
  rmSync(photosDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

async function freshSession(): Promise<{ backend: Backend; session: MediaSession }> {
  const backend = await tdb.user();
  const sources: SourceFile[] = [];
  for (let i = 0; i < 2; i++) sources.push(await addSource(backend, await writePhoto(photosDir, i)));
  return { backend, session: await createSession(backend, sources, { perGroup: 2 }) };
}

const render = (backend: Backend, rows: Rows) => {
  const { ctx } = testContext({ now: NOW, home });
  return renderSlideGroup({ backend: { ...backend, rows }, clock: ctx.clock, paths: ctx.paths, timeZone: ZONE }, FAST);
};

/** Every group is done and counted, or failed and not counted; the session counts exactly the done ones. */
async function expectWholeGroups(backend: Backend, sessionId: string): Promise<string[]> {
  const groups = await backend.rows.select('slide_groups', { where: { session_id: sessionId } });
  const [session] = await backend.rows.select('media_sessions', { where: { id: sessionId } });
  const done = groups.filter((g) => g.status === 'done');
  expect(groups.every((g) => g.status === 'done' || g.status === 'failed')).toBe(true);
  expect(session).toMatchObject({ groups_created: done.length, created_per_day: done.length });
  const items = await backend.rows.select('session_media_items', { where: { session_id: sessionId } });
  expect(items.every((i) => (i.processed_file_path !== null) === (done.length > 0))).toBe(true);
  return groups.map((g) => g.status);
}

describe('a render killed at each write', () => {
  it('leaves a finished, counted group or a failed, uncounted one', async () => {
    const whole = await freshSession();
    const counting = dyingAt(whole.backend.rows, Number.POSITIVE_INFINITY, 'before');
    await render(whole.backend, counting.rows);
    const writes = counting.writes();
    expect(writes).toBeGreaterThanOrEqual(2);

    const outcomes: string[] = [];
    for (let n = 1; n <= writes; n++) {
      for (const when of ['before', 'after'] as const) {
        const { backend, session } = await freshSession();
        const dying = dyingAt(backend.rows, n, when);
        void render(backend, dying.rows);
        const what = await dying.died;
        await recoverCrashedGroups(backend.rows, session.id, { now: new Date(NOW), timeZone: ZONE, staleAfterMs: 0 });
        outcomes.push(`${what}: ${(await expectWholeGroups(backend, session.id)).join(',') || 'no group'}`);
      }
    }
    // The last write is the finish: killed before it, the group is failed; after it, done.
    expect(outcomes.at(-2)).toMatch(/before write \d+ \(rpc .*\): failed$/);
    expect(outcomes.at(-1)).toMatch(/after write \d+ \(rpc .*\): done$/);
  });
});
