/**
 * The embedded backend lets go of its database while a render's slides and video are made
 * (Backend.suspend), so other commands can use it meanwhile, and opens it again on its next use;
 * renders still take turns (Backend.renderTurn), which is what lets one treat any `rendering`
 * group it finds as a dead render's.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/db/backend.js';
import { openLocalBackend, type LocalDbEvent } from '../../src/db/local/open.js';

// One database made and migrated, copied for each test: creating one takes seconds.
let template: string;
let dataRoot: string;
beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), 'slides-suspend-template-'));
  await (await openLocalBackend({ dataRoot: template })).close();
}, 60_000);
afterAll(() => rmSync(template, { recursive: true, force: true }));
beforeEach(() => {
  dataRoot = mkdtempSync(join(tmpdir(), 'slides-suspend-'));
  cpSync(template, dataRoot, { recursive: true });
});
afterEach(() => rmSync(dataRoot, { recursive: true, force: true }));

function open(events: LocalDbEvent['type'][] = []): Promise<Backend> {
  return openLocalBackend({ dataRoot, onEvent: (e) => events.push(e.type) });
}

async function fileCount(backend: Backend): Promise<number> {
  return (await backend.rows.select('source_files')).length;
}

const row = (name: string) => ({
  file_path: `x/${name}`,
  file_type: 'image' as const,
  sha256: name.padEnd(64, '0'),
  original_name: name,
  size_bytes: 1,
  mime_type: 'image/jpeg',
});

describe('suspending the embedded backend', () => {
  it('lets another command open the database, and opens it again on its next use with what the other wrote', async () => {
    const first = await open();
    await first.rows.insert('source_files', [row('a')]);

    const waits: LocalDbEvent['type'][] = [];
    const blocked = open(waits);
    await expect.poll(() => waits).toContain('lockWait');
    await first.suspend();
    const second = await blocked;
    await second.rows.insert('source_files', [row('b')]);
    expect(await fileCount(second)).toBe(2);
    await second.close();

    expect(await fileCount(first)).toBe(2);
    await first.close();
  });

  it('waits for the transactions begun to end before it closes', async () => {
    const backend = await open();
    const writing = backend.rows.insert('source_files', [row('c')]);
    await backend.suspend();
    await expect(writing).resolves.toHaveLength(1);
    expect(await fileCount(backend)).toBe(1);
    await backend.close();
  });

  it('is not used again once closed', async () => {
    const backend = await open();
    await backend.close();
    await expect(backend.rows.select('source_files')).rejects.toThrow(/used after its command closed it/);
  });

  it('a database whose folder is gone while suspended is not created anew', async () => {
    const backend = await open();
    await backend.suspend();
    rmSync(join(dataRoot, 'db'), { recursive: true, force: true });
    await expect(backend.rows.select('source_files')).rejects.toThrow(/could not be opened: its folder is gone/);
    await backend.close();
  });
});

describe('render turns', () => {
  it('a second render waits for the first, with its database let go of so the first can record', async () => {
    const first = await open();
    const releaseFirst = await first.renderTurn();
    await first.suspend();

    const events: LocalDbEvent['type'][] = [];
    const second = await open(events);
    let turned = false;
    const secondTurn = second.renderTurn().then((release) => ((turned = true), release));
    await expect.poll(() => events).toContain('renderWait');

    // The first render records its group: it needs the database the second one let go of.
    await first.rows.insert('source_files', [row('d')]);
    expect(turned).toBe(false);
    await first.close();
    await releaseFirst();

    const releaseSecond = await secondTurn;
    expect(await fileCount(second)).toBe(1);
    await releaseSecond();
    await second.close();
  });
});
