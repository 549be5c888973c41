import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import type { SlideGroup } from '../../src/db/types.js';
import { exitCodeOf } from '../../src/errors.js';
import { groupPhotos } from '../../src/services/publish/media.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let user: Backend;
let dataDir: string;

beforeAll(async () => {
  t = await testDatabase();
  user = await t.user();
  dataDir = mkdtempSync(join(tmpdir(), 'slides-photo-limits-'));
}, 60_000);
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A group pushed to Exports with `count` slides, each `bytes` long (the last `lastBytes`). */
async function pushedGroup(name: string, count: number, bytes = 1000, lastBytes = bytes): Promise<SlideGroup> {
  const folder = `${user.identity.userId}/session/${name}`;
  for (let i = 1; i <= count; i++) {
    const data = Buffer.alloc(i === count ? lastBytes : bytes, 0xff);
    await user.storage.upload('Exports', `${folder}/slide-${String(i).padStart(2, '0')}.jpg`, { data }, { contentType: 'image/jpeg' });
  }
  return { id: `${name}-id`, group_number: 7, folder, session_id: 'session' } as SlideGroup;
}

describe("a photo post's slides, checked against TikTok's rules before anything is sent", () => {
  it('35 slides go, in order, by their Exports keys', async () => {
    const photos = await groupPhotos(user.storage, await pushedGroup('g35', 35), dataDir);
    expect(photos.keys).toHaveLength(35);
    expect(photos.keys[0]).toMatch(/\/slide-01\.jpg$/);
    expect(photos.keys[34]).toMatch(/\/slide-35\.jpg$/);
  });

  it('36 slides are refused (exit 2): TikTok takes at most 35', async () => {
    const error = await groupPhotos(user.storage, await pushedGroup('g36', 36), dataDir).then(
      () => expect.unreachable('accepted'),
      (e: unknown) => e as Error,
    );
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe('slide group 7 has 36 slides; a TikTok photo post takes at most 35');
  });

  it('a slide over 20 MB is refused by name (exit 2)', async () => {
    const error = await groupPhotos(user.storage, await pushedGroup('big', 2, 1000, 20 * 1024 * 1024 + 1), dataDir).then(
      () => expect.unreachable('accepted'),
      (e: unknown) => e as Error,
    );
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(/\/big\/slide-02\.jpg is 20\.0 MB; TikTok takes photos up to 20 MB$/);
  });

  it('a group never pushed to Exports is refused: TikTok pulls photos from URLs', async () => {
    const local = { id: 'local-group', group_number: 3, folder: join(dataDir, 'groups', 'g3'), session_id: 'session' } as SlideGroup;
    const error = await groupPhotos(user.storage, local, dataDir).then(
      () => expect.unreachable('accepted'),
      (e: unknown) => e as Error,
    );
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(/^slide group 3 \(local-gr\) was never pushed to Exports/);
  });
});
