/** `slides run --due` and the installed crontab line through the built binary (`npm test` builds dist/ first). */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/local/database.js';
import type { MediaSession, SlideGroup } from '../../src/db/types.js';
import { readRunRecords } from '../../src/services/schedule/log.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { writePhoto } from '../render/seed.js';

// Paris, frequency 3: slots at 00:00, 08:00 and 16:00 local (22:00, 06:00, 14:00 UTC). Two slots
// are open at MORNING and at NOON; the first group is made at MORNING, the second at NOON, and at
// AFTERNOON both open slots are used.
const MORNING = '2025-06-10T08:00:00.000Z';
const NOON = '2025-06-10T10:00:00.000Z';
const AFTERNOON = '2025-06-10T12:00:00.000Z';

let root: string;
let home: string;

function slides(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: { HOME: root, SLIDES_HOME: home, SLIDES_TIMEZONE: 'Europe/Paris', SLIDES_NOW: MORNING, NO_COLOR: '1', ...env } });
}

async function dbState(): Promise<{ session: MediaSession; groups: SlideGroup[] }> {
  const db = await openPglite({ dataDir: join(home, 'data', 'db') });
  try {
    const [session] = (await db.query<MediaSession>('SELECT * FROM media_sessions WHERE is_active')).rows;
    if (!session) throw new Error('no active session');
    const groups = (await db.query<SlideGroup>('SELECT * FROM slide_groups ORDER BY group_number')).rows;
    return { session, groups };
  } finally {
    await db.close();
  }
}

const outcomes = (runs: CliResult[]) => runs.map((r) => (JSON.parse(r.stdout) as { outcome: string }).outcome).sort();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'slides-run-cli-'));
  home = join(root, 'slides');
  const photos = join(root, 'photos');
  mkdirSync(photos, { recursive: true });
  for (let i = 0; i < 2; i++) await writePhoto(photos, i);
  const upload = await slides(['upload', photos]);
  expect(upload.code, upload.stderr).toBe(0);
  const session = await slides(['session', 'new', '--all', '--yes', '--frequency', '3']);
  expect(session.code, session.stderr).toBe(0);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('slides run --due (binary, local backend)', () => {
  it('two runs started at the same time on one data dir make exactly one slide group', async () => {
    const runs = await Promise.all([slides(['run', '--due', '--json']), slides(['run', '--due', '--json'])]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    // The loser was turned away by the run lock, or found the slot already made.
    expect(outcomes(runs)).toEqual(['rendered', expect.stringMatching(/^(locked|not-due)$/)].sort());
    const { session, groups } = await dbState();
    expect(groups.map((g) => [g.group_number, g.status])).toEqual([[1, 'done']]);
    expect(session.created_per_day).toBe(1);
  });

  it('two runs with separate state dirs (two machines) race on the database claim: still one group', async () => {
    // Same database (XDG_DATA_HOME/slides is the data dir above), each its own state dir.
    mkdirSync(join(root, 'shared'), { recursive: true });
    symlinkSync(join(home, 'data'), join(root, 'shared', 'slides'));
    const machine = (name: string) => ({
      SLIDES_HOME: '',
      XDG_DATA_HOME: join(root, 'shared'),
      XDG_CONFIG_HOME: join(root, name, 'config'),
      XDG_STATE_HOME: join(root, name, 'state'),
      XDG_CACHE_HOME: join(root, name, 'cache'),
      SLIDES_NOW: NOON,
    });
    const runs = await Promise.all([slides(['run', '--due', '--json'], machine('a')), slides(['run', '--due', '--json'], machine('b'))]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(outcomes(runs)).toEqual(['rendered', expect.stringMatching(/^(taken|not-due)$/)].sort());
    const { session, groups } = await dbState();
    expect(groups).toHaveLength(2);
    expect(session.created_per_day).toBe(2);
  });

  it('not due: exit 0 and nothing printed with --quiet; one line in the schedule log', async () => {
    const run = await slides(['run', '--due', '--quiet'], { SLIDES_NOW: AFTERNOON });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    const last = readRunRecords(join(home, 'state', 'schedule.log'), 1)[0];
    expect(last).toMatchObject({ outcome: 'not-due', at: new Date(AFTERNOON), detail: expect.stringContaining('next=2025-06-10T14:00:00.000Z') });
  });

  it('without --due it is a usage error pointing at slides render', async () => {
    const run = await slides(['run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('slides render');
  });

  it('the installed crontab line is valid sh that runs the CLI and appends to the log', async () => {
    const crontabFile = join(root, 'crontab');
    const fake = join(root, 'fake-crontab');
    writeFileSync(fake, `#!/bin/sh\ncase "$1" in -l) cat '${crontabFile}' 2>/dev/null || { echo "no crontab" >&2; exit 1; } ;; -) cat > '${crontabFile}' ;; esac\n`);
    chmodSync(fake, 0o755);
    const install = await slides(['schedule', 'install', '--every', '5m'], { SLIDES_CRONTAB: fake });
    expect(install.code, install.stderr).toBe(0);
    const line = readFileSync(crontabFile, 'utf8').trim();
    // What cron hands to sh: the command after the five time fields, with \% turned back into %.
    const command = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%');
    const before = readRunRecords(join(home, 'state', 'schedule.log'), 100).length;
    const sh = spawnSync('/bin/sh', ['-c', command], { env: { SLIDES_NOW: AFTERNOON }, encoding: 'utf8' });
    expect(sh.status, sh.stderr).toBe(0);
    const records = readRunRecords(join(home, 'state', 'schedule.log'), 100);
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({ outcome: 'not-due', detail: expect.stringContaining('waiting-for-slot') });
    const status = await slides(['schedule', 'status', '--json'], { SLIDES_CRONTAB: fake, SLIDES_NOW: AFTERNOON });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ installed: true, every: '5m', upToDate: true, next: { reachable: true, due: false } });
  });
});
