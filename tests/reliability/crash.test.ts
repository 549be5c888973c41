/**
 * SIGKILL the built CLI half-way through an upload and a render (local backend, one temp
 * SLIDES_HOME), run it again, and check nothing is lost, doubled or left behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import type { MediaSession, SlideGroup, SourceFile } from '../../src/db/types.js';
import { CRASHED_MESSAGE } from '../../src/services/render/crashed.js';
import { BIN, runCli } from '../helpers/cli.js';

// More than one batch of the upload's rows and objects (50), so a kill can fall between batches.
const PHOTOS = 120;
const ENV = { SLIDES_TIMEZONE: 'UTC', NO_COLOR: '1' };

let home: string;
let photos: string;

const slides = (args: string[]) => runCli(args, { env: { SLIDES_HOME: home, ...ENV } });

/**
 * Starts the CLI in its own process group and SIGKILLs the whole group (node and any ffmpeg it
 * started, as a power cut would) at the first change in `dir` after which `ready()` holds;
 * resolves after the group is gone.
 */
function killWhen(args: string[], dir: string, ready: () => boolean): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SLIDES_HOME: home, ...ENV },
      stdio: 'ignore',
      detached: true,
    });
    const watcher = watch(dir, () => {
      if (!ready()) return;
      watcher.close();
      process.kill(-(child.pid as number), 'SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher.close();
      resolve({ code, signal });
    });
  });
}

/**
 * On Linux the kernel frees the database and render locks with their killed holder, so the re-run
 * takes them at once. Elsewhere each is a directory left behind, stale once its mtime is 30 s old:
 * ageing them stands in for those 30 s, which a test should not sleep through.
 */
function ageLeftLock(): void {
  if (process.platform === 'linux') return;
  const past = new Date(Date.now() - 60_000);
  for (const name of ['db.lock', 'renders.lock']) {
    const lock = join(home, 'data', name);
    if (existsSync(lock)) utimesSync(lock, past, past);
  }
}

/** The finished objects of a bucket folder; a `.part` is a copy the kill cut short, never an object. */
function objectsIn(bucket: string): string[] {
  const dir = join(home, 'data', 'storage', bucket);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.part'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function dbState() {
  const db = await openPglite({ dataDir: join(home, 'data', 'db') });
  try {
    const sources = (await db.query<SourceFile>('SELECT * FROM source_files ORDER BY original_name')).rows;
    const sessions = (await db.query<MediaSession>('SELECT * FROM media_sessions WHERE is_active')).rows;
    const groups = (await db.query<SlideGroup>('SELECT * FROM slide_groups ORDER BY created_at')).rows;
    const users = (await db.query<{ id: string }>('SELECT id FROM auth.users')).rows;
    return { sources, session: sessions[0], groups, userId: users[0]!.id };
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-crash-'));
  photos = join(home, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < PHOTOS; i++) {
    const noise = { type: 'gaussian' as const, mean: 60 + (i % 60) * 3, sigma: 30 };
    await sharp({ create: { width: 480, height: 640, channels: 3, noise, background: '#000' } })
      .jpeg({ quality: 80 })
      .toFile(join(photos, `photo-${String(i).padStart(2, '0')}.jpg`));
  }
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('SIGKILL, then the same command again', () => {
  it('mid-upload: the re-run lands every file once, and every Sources object has its row and every row its object', async () => {
    const created = await slides(['files', 'list']);
    expect(created.code, created.stderr).toBe(0);
    const { userId } = await dbState();
    const killed = await killWhen(['upload', photos], join(home, 'data', 'storage', 'Sources', userId), () => objectsIn('Sources').length > 0);
    expect(killed.signal).toBe('SIGKILL');
    const landedBeforeKill = objectsIn('Sources').length;
    expect(landedBeforeKill).toBeLessThan(PHOTOS);

    ageLeftLock();
    const rerun = await slides(['upload', photos]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const { sources } = await dbState();
    expect(sources.map((s) => s.original_name)).toEqual(readdirSync(photos).sort());
    expect(new Set(sources.map((s) => s.sha256)).size).toBe(PHOTOS);
    expect(sources.map((s) => s.file_path).sort()).toEqual(objectsIn('Sources'));

    const again = await slides(['upload', photos]);
    expect(again.stdout).toMatch(new RegExp(`^Uploaded 0 files \\(0 B sent\\) · ${PHOTOS} already there`));
  });

  it('mid-video: the crashed group is marked failed, its count given back, and only finished groups are counted and exported', async () => {
    const session = await slides(['session', 'new', '--all', '--yes', '--frequency', '3', '--per-group', '4']);
    expect(session.code, session.stderr).toBe(0);
    const { session: active } = await dbState();
    const ffmpegLog = join(home, 'state', 'logs', `${active?.id}-1-ffmpeg.log`);
    const killed = await killWhen(['render', '--slide-duration', '1'], dirname(ffmpegLog), () => existsSync(ffmpegLog));
    expect(killed.signal).toBe('SIGKILL');
    const crashed = await dbState();
    expect(crashed.groups).toMatchObject([{ status: 'rendering' }]);
    expect(crashed.session?.created_per_day).toBe(1);

    ageLeftLock();
    const rerun = await slides(['render', '--no-video']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/^warning: group 1, started .*, never finished \(crash\?\): marked failed, its count given back$/m);
    // The crashed group keeps number 1; the re-run is group 2, on the same items (handed back).
    expect(rerun.stdout).toContain('Slide group 2 done (1 of 3 today)');

    const after = await dbState();
    expect(after.groups.map((g) => [g.status, g.error])).toEqual([
      ['failed', CRASHED_MESSAGE],
      ['done', null],
    ]);
    const done = after.groups.filter((g) => g.status === 'done');
    expect(after.session).toMatchObject({ created_per_day: done.length, groups_created: done.length });
    const exported = new Set(objectsIn('Exports').map((key) => key.split('/').slice(0, 3).join('/')));
    expect([...exported]).toEqual(done.map((g) => g.folder));
    expect(after.sources).toHaveLength(PHOTOS);
  });
});
