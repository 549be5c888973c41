import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFilesList } from '../../src/commands/files/list.js';
import { runFilesRm } from '../../src/commands/files/rm.js';
import { runUpload } from '../../src/commands/upload.js';
import { wallClock } from '../../src/services/schedule/wallClock.js';
import type { Backend } from '../../src/db/backend.js';
import type { SourceFile } from '../../src/db/types.js';
import { EXIT, exitCodeOf } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { clip, photo } from './fixtures.js';

let t: TestDatabase;
let user: Backend;
let dir: string;
let files: SourceFile[];

beforeEach(async () => {
  t = await testDatabase();
  user = await t.user();
  dir = mkdtempSync(join(tmpdir(), 'slides-files-'));
  await photo(dir, 'beach.jpg', 1, { width: 120, height: 90 });
  await photo(dir, 'city.jpg', 2);
  await clip(dir, 'waves.mp4', 2);
  await runUpload({ paths: [dir], concurrency: 4 }, testContext({ backend: user }).ctx);
  files = await user.rows.select('source_files', { order: [{ column: 'original_name' }] });
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const byName = (name: string) => files.find((f) => f.original_name === name) as SourceFile;

async function attempt<T>(work: Promise<T>) {
  return work.then(
    (value) => ({ value, code: EXIT.ok as number, error: undefined }),
    (error: unknown) => ({ value: undefined, code: exitCodeOf(error), error }),
  );
}

async function sessionWith(file: SourceFile): Promise<string> {
  const session = await user.rows.rpc<{ id: string }>('slides_create_session', {
    p_frequency: 1,
    p_max_per_day: null,
    p_per_group: null,
    p_items: [{ source_file_id: file.id, position: 0, media_type: file.file_type, generated_caption: 'hi' }],
    p_replace_active: true,
  });
  return session.id;
}

describe('slides files list', () => {
  it('prints a table on a terminal: short id, type, name, size, dimensions or length, upload time', async () => {
    const { ctx, output } = testContext({ backend: user, io: { stdoutIsTTY: true } });
    await runFilesList({}, ctx);
    const lines = output.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+NAME\s+SIZE\s+DIMENSIONS\s+UPLOADED$/);
    expect(lines).toHaveLength(4);
    const beach = byName('beach.jpg');
    expect(lines.find((l) => l.includes('beach.jpg'))).toMatch(
      new RegExp(`^${beach.id.slice(0, 8)}  image  beach\\.jpg\\s+[\\d.]+ K?B\\s+120×90\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`),
    );
    expect(lines.find((l) => l.includes('waves.mp4'))).toMatch(/ video  waves\.mp4\s+[\d.]+ K?B\s+320×240 2\.0s\s+\d{4}-/);
  });

  it("prints upload times on the creator's clock (the timezone setting), not the system's", async () => {
    const at = new Date(byName('beach.jpg').uploaded_at);
    const system = wallClock(at, Intl.DateTimeFormat().resolvedOptions().timeZone);
    const timezone = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'].find((zone) => wallClock(at, zone) !== system) as string;
    const { ctx, output } = testContext({ backend: user, io: { stdoutIsTTY: true }, settings: { timezone } });
    await runFilesList({}, ctx);
    const line = output.stdout.split('\n').find((l) => l.includes('beach.jpg')) as string;
    expect(line.endsWith(`  ${wallClock(at, timezone)}`)).toBe(true);
  });

  it('--type filters, and --json prints every field with the whole id', async () => {
    const { ctx, output } = testContext({ backend: user, io: { json: true } });
    await runFilesList({ type: 'video' }, ctx);
    const listed = JSON.parse(output.stdout) as unknown[];
    const waves = byName('waves.mp4');
    expect(listed).toEqual([
      {
        id: waves.id,
        type: 'video',
        name: 'waves.mp4',
        sizeBytes: waves.size_bytes,
        width: 320,
        height: 240,
        durationSeconds: waves.duration_seconds,
        mime: 'video/mp4',
        key: waves.file_path,
        uploadedAt: waves.uploaded_at,
      },
    ]);
  });

  it('off a terminal prints one tab-separated line per file, whole ids first', async () => {
    const { ctx, output } = testContext({ backend: user });
    await runFilesList({ type: 'image' }, ctx);
    const lines = output.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(lines.map((l) => l.slice(0, 3))).toEqual(
      expect.arrayContaining([
        [byName('beach.jpg').id, 'image', 'beach.jpg'],
        [byName('city.jpg').id, 'image', 'city.jpg'],
      ]),
    );
    expect(lines).toHaveLength(2);
  });
});

describe('slides files rm', () => {
  it('removes the row and the object, by whole id or 8-character prefix', async () => {
    const beach = byName('beach.jpg');
    const city = byName('city.jpg');
    const { ctx, output } = testContext({ backend: user });
    await runFilesRm({ ids: [beach.id, city.id.slice(0, 8)] }, ctx);
    expect(output.stdout).toContain(`removed ${beach.id.slice(0, 8)} beach.jpg`);
    expect((await user.rows.select('source_files')).map((f) => f.original_name)).toEqual(['waves.mp4']);
    const keys = (await user.storage.list('Sources', `${user.identity.userId}/`)).map((o) => o.key);
    expect(keys).toEqual([byName('waves.mp4').file_path]);
  });

  it('names every unknown id and removes nothing', async () => {
    const { ctx } = testContext({ backend: user });
    const { code, error } = await attempt(runFilesRm({ ids: [byName('beach.jpg').id, 'deadbeef', 'nope'] }, ctx));
    expect(code).toBe(EXIT.usage);
    expect(String(error)).toContain('no such files: deadbeef, nope; nothing removed');
    const stranger = randomUUID();
    const whole = await attempt(runFilesRm({ ids: [byName('city.jpg').id, stranger] }, testContext({ backend: user }).ctx));
    expect(String(whole.error)).toContain(`no such file: ${stranger}; nothing removed`);
    expect(await user.rows.select('source_files')).toHaveLength(3);
  });

  it('refuses a file a session uses, and --force removes the session items first', async () => {
    const beach = byName('beach.jpg');
    const sessionId = await sessionWith(beach);
    const refused = await attempt(runFilesRm({ ids: [beach.id] }, testContext({ backend: user }).ctx));
    expect(refused.code).toBe(EXIT.usage);
    expect(String(refused.error)).toContain(`beach.jpg (${beach.id.slice(0, 8)}) is used by 1 session; nothing removed`);
    expect(refused.error).toMatchObject({ hint: 'pass --force to remove the session items that use them too' });
    expect(await user.rows.select('source_files')).toHaveLength(3);

    const { ctx, output } = testContext({ backend: user });
    const forced = await runFilesRm({ ids: [beach.id], force: true }, ctx);
    expect(forced.sessionItemsRemoved).toBe(1);
    expect(output.stderr).toContain('1 session item removed with them');
    expect(await user.rows.select('session_media_items', { where: { session_id: sessionId } })).toEqual([]);
    expect(await user.rows.select('source_files', { where: { id: beach.id } })).toEqual([]);
  });

  it('a removed file uploads again as new', async () => {
    await runFilesRm({ ids: [byName('city.jpg').id] }, testContext({ backend: user }).ctx);
    const again = await runUpload({ paths: [dir], concurrency: 4 }, testContext({ backend: user }).ctx);
    expect(again.uploaded.map((f) => f.key)).toEqual([byName('city.jpg').file_path]);
    expect(again.existing).toHaveLength(2);
  });
});
