import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { localBackend } from '../../src/db/local/backend.js';
import type { MediaSession } from '../../src/db/types.js';
import { claimDueSlot, failClaim, type Claim } from '../../src/services/schedule/claim.js';
import { emptySession, sessionNow } from '../helpers/sessions.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
});
afterEach(async () => t.close());

const timeZone = 'Europe/London';
const at = (iso: string) => ({ now: new Date(iso), timeZone });

const session = (state: Partial<Pick<MediaSession, 'last_run_at' | 'created_per_day'>> = {}, frequency = 4) =>
  emptySession(user, state, frequency);
const reread = (id: string) => sessionNow(user, id);

/** A second backend of the same user on the same database: another process's view. */
function secondProcess(): Backend {
  return localBackend({ db: t.db, userId: user.identity.userId, email: user.identity.email, storageDir: t.storageDir });
}

describe('claimDueSlot', () => {
  it('claims a due slot: records the run and counts it for the local day', async () => {
    const s = await session();
    const result = await claimDueSlot(user.rows, s, at('2024-06-01T09:00:00Z'));
    expect(result.status).toBe('claimed');
    const row = await reread(s.id);
    expect(row.created_per_day).toBe(1);
    expect(new Date(row.last_run_at!).toISOString()).toBe('2024-06-01T09:00:00.000Z');
    expect(result.status === 'claimed' && result.session).toEqual(row);
  });

  it('leaves the row alone when the session is not due', async () => {
    const s = await session({ last_run_at: '2024-06-01T06:00:00Z', created_per_day: 2 });
    const result = await claimDueSlot(user.rows, s, at('2024-06-01T10:00:00Z'));
    expect(result).toMatchObject({ status: 'not-due', schedule: { reason: 'waiting-for-slot' } });
    expect(await reread(s.id)).toEqual(s);
  });

  it('restarts the count on a new local day', async () => {
    // 23:30 UTC on 31 May is already 1 June in London (BST).
    const s = await session({ last_run_at: '2024-05-31T18:00:00Z', created_per_day: 4 });
    expect((await claimDueSlot(user.rows, s, at('2024-05-31T23:30:00Z'))).status).toBe('claimed');
    expect((await reread(s.id)).created_per_day).toBe(1);
  });

  it('two processes claiming the same slot at once: exactly one wins, the count goes up once', async () => {
    const s = await session();
    const other = secondProcess();
    const results = await Promise.all([
      claimDueSlot(user.rows, s, at('2024-06-01T12:00:00Z')),
      claimDueSlot(other.rows, s, at('2024-06-01T12:00:01Z')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['claimed', 'taken']);
    expect((await reread(s.id)).created_per_day).toBe(1);
  });

  it('ten racing claims of three open slots still make one group', async () => {
    const s = await session({ last_run_at: '2024-05-31T18:00:00Z', created_per_day: 4 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimDueSlot(secondProcess().rows, s, at(`2024-06-01T19:00:0${i}Z`))),
    );
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    expect((await reread(s.id)).created_per_day).toBe(1);
  });

  it('a process that read the session before another claimed it is told the slot is taken', async () => {
    const stale = await session();
    await claimDueSlot(secondProcess().rows, stale, at('2024-06-01T06:00:00Z'));
    expect((await claimDueSlot(user.rows, stale, at('2024-06-01T06:05:00Z'))).status).toBe('taken');
    expect((await reread(stale.id)).created_per_day).toBe(1);
  });

  it('a session switched off after it was read is not claimed', async () => {
    const s = await session();
    await user.rows.update('media_sessions', { is_active: false }, { id: s.id });
    expect((await claimDueSlot(user.rows, s, at('2024-06-01T06:00:00Z'))).status).toBe('taken');
  });
});

describe('failClaim', () => {
  const failAt = (claim: Claim, iso: string) => failClaim(user.rows, claim, 'render failed', at(iso));

  it('gives a failed render’s slot back so the next run retries it', async () => {
    const s = await session({ last_run_at: '2024-06-01T00:00:00Z', created_per_day: 1 });
    const first = await claimDueSlot(user.rows, s, at('2024-06-01T06:00:00Z'));
    if (first.status !== 'claimed') throw new Error('expected a claim');
    expect(await failAt(first, '2024-06-01T06:01:00Z')).toBe('released');
    const after = await reread(s.id);
    expect(after.created_per_day).toBe(1);
    expect((await claimDueSlot(user.rows, after, at('2024-06-01T06:15:00Z'))).status).toBe('claimed');
  });

  it('gives back exactly one, once, even when another run claimed meanwhile', async () => {
    const s = await session({ last_run_at: '2024-05-31T18:00:00Z', created_per_day: 4 });
    const mine = await claimDueSlot(user.rows, s, at('2024-06-01T19:00:00Z'));
    if (mine.status !== 'claimed') throw new Error('expected a claim');
    await claimDueSlot(secondProcess().rows, mine.session, at('2024-06-01T19:15:00Z'));
    expect(await failAt(mine, '2024-06-01T19:16:00Z')).toBe('released');
    expect(await failAt(mine, '2024-06-01T19:17:00Z')).toBe('nothing-to-release');
    expect((await reread(s.id)).created_per_day).toBe(1);
  });

  it('gives nothing back once the count has moved on to a later day', async () => {
    const s = await session({ last_run_at: '2024-05-31T22:00:00Z', created_per_day: 1 });
    const mine = await claimDueSlot(user.rows, s, at('2024-06-01T22:30:00Z'));
    if (mine.status !== 'claimed') throw new Error('expected a claim');
    await claimDueSlot(secondProcess().rows, mine.session, at('2024-06-01T23:05:00Z'));
    expect(await failAt(mine, '2024-06-01T23:06:00Z')).toBe('released');
    expect((await reread(s.id)).created_per_day).toBe(1);
  });
});
