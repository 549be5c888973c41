import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedPrompter, type Prompter } from '../../src/cli/prompter.js';
import { userMessage } from '../../src/cli/settingFlags.js';
import { runSessionNew, type SessionNewOptions } from '../../src/commands/session/new.js';
import type { Backend } from '../../src/db/backend.js';
import type { SourceFile } from '../../src/db/types.js';
import { exitCodeOf, type SlidesError } from '../../src/errors.js';
import { loadSession } from '../../src/services/sessions/load.js';
import { testContext } from '../helpers/context.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { seedUploaded, writePhotos, writeText } from './fixtures.js';

let t: TestDatabase;
let alice: Backend;
let dir: string;
let files: SourceFile[];

beforeEach(async () => {
  t = await testDatabase();
  alice = await t.user('alice@test.invalid');
  dir = mkdtempSync(join(tmpdir(), 'slides-session-'));
  const paths = await writePhotos(dir, ['IMG_10.jpg', 'IMG_2.jpg', 'IMG_1.jpg']);
  files = await seedUploaded(alice, paths, { uploadedAt: (i) => `2024-05-0${3 - i}T10:00:00Z` });
});
afterEach(async () => t.close());

const byName = (name: string) => files.find((f) => f.original_name === name) as SourceFile;

function context(options: { prompter?: Prompter; tty?: boolean; json?: boolean; backend?: Backend; env?: NodeJS.ProcessEnv } = {}) {
  return testContext({
    backend: options.backend ?? alice,
    prompter: options.prompter,
    env: options.env,
    io: { canPrompt: options.tty ?? false, json: options.json ?? false },
    settings: { timezone: 'UTC' },
  });
}

async function refused(o: SessionNewOptions, ctx = context().ctx): Promise<SlidesError> {
  return runSessionNew(o, ctx).then(
    () => expect.unreachable('expected the command to fail'),
    (e: unknown) => e as SlidesError,
  );
}

async function captionsOf(sessionId: string) {
  return (await loadSession(alice.rows, sessionId)).items.map((i) => [i.name, i.item.generated_caption]);
}

describe('slides session new, from flags (no terminal)', () => {
  it('creates the active session from --files prefixes, ordered by name naturally, with the defaults', async () => {
    const { ctx, output } = context();
    const ids = [byName('IMG_2.jpg').id.slice(0, 8), byName('IMG_10.jpg').id, byName('IMG_1.jpg').id.slice(0, 6)];
    const result = await runSessionNew({ files: ids, frequency: 2 }, ctx);
    const loaded = await loadSession(alice.rows);
    expect(loaded.session.id).toBe(result?.session.id);
    expect(loaded.session).toMatchObject({ is_active: true, frequency: 2, max_per_day: 2, per_group: 3 });
    expect(loaded.items.map((i) => [i.item.position, i.name, i.item.media_type])).toEqual([
      [0, 'IMG_1.jpg', 'image'],
      [1, 'IMG_2.jpg', 'image'],
      [2, 'IMG_10.jpg', 'image'],
    ]);
    expect(output.stdout).toMatch(/^Created session [0-9a-f]{8}, now the active one: 3 items, 2 groups a day \(at most 2\), 3 slides each\.\n$/);
  });

  it('--all --order date uses upload dates; --json prints one document', async () => {
    const { ctx, output } = context({ json: true });
    await runSessionNew({ all: true, order: 'date', frequency: 1, maxPerDay: 3, perGroup: 2 }, ctx);
    const doc = JSON.parse(output.stdout) as { session: { max_per_day: number }; items: { source_file_id: string }[]; replaced: null };
    expect(doc.session.max_per_day).toBe(3);
    expect(doc.replaced).toBeNull();
    expect(doc.items.map((i) => i.source_file_id)).toEqual([byName('IMG_1.jpg').id, byName('IMG_2.jpg').id, byName('IMG_10.jpg').id]);
  });

  it('--from DIR selects the uploaded files with the same content and reads sidecar captions there', async () => {
    writeText(join(dir, 'IMG_1.jpg.txt'), 'first 🌅\n');
    writeText(join(dir, 'IMG_2.txt'), 'second, from the stem');
    writeText(join(dir, 'notes.md'), 'not a photo, ignored');
    const { ctx } = context();
    const result = await runSessionNew({ from: dir, frequency: 1, captionTemplate: 'Day {n} of {total}' }, ctx);
    expect(await captionsOf(result!.session.id)).toEqual([
      ['IMG_1.jpg', 'first 🌅'],
      ['IMG_2.jpg', 'second, from the stem'],
      ['IMG_10.jpg', 'Day 3 of 3'],
    ]);
  });

  it('takes captions from a captions file, warns that it is short and says the template fills the rest', async () => {
    const file = writeText(join(dir, 'captions.txt'), 'uno | one | eins\n');
    const { ctx, output } = context();
    const result = await runSessionNew({ all: true, frequency: 1, captions: file, captionTemplate: '{name}' }, ctx);
    expect(await captionsOf(result!.session.id)).toEqual([
      ['IMG_1.jpg', 'uno | one | eins'],
      ['IMG_2.jpg', 'IMG_2'],
      ['IMG_10.jpg', 'IMG_10'],
    ]);
    expect(output.stderr).toContain(`warning: --captions ${file} has 1 line for 3 items: items 2–3 are captioned by the template "{name}"\n`);
  });

  it('takes captions from a JSON mapping by file name, keeping UTF-8 exactly', async () => {
    const mapping = { 'IMG_10.jpg': 'Cafe\u0301 ☕', 'IMG_1.jpg': 'مرحبا 👋🏽' };
    const file = writeText(join(dir, 'captions.json'), JSON.stringify(mapping));
    const { ctx } = context();
    const result = await runSessionNew({ all: true, frequency: 1, captions: file }, ctx);
    expect(await captionsOf(result!.session.id)).toEqual([
      ['IMG_1.jpg', 'مرحبا 👋🏽'],
      ['IMG_2.jpg', null],
      ['IMG_10.jpg', 'Cafe\u0301 ☕'],
    ]);
  });
});

describe('slides session new, interactive (scripted prompter)', () => {
  it('asks every question in turn and creates what was answered', async () => {
    const prompter = scriptedPrompter([
      { flag: '--files ID… | --all | --from DIR', answer: [byName('IMG_10.jpg').id, byName('IMG_2.jpg').id] },
      { flag: '--order', answer: 'manual' },
      { flag: '--order', answer: '2' },
      { flag: '--captions FILE | --caption-template T', answer: 'type' },
      { flag: '--captions', answer: 'ten | 10' },
      { flag: '--captions', answer: '' },
      { flag: '--frequency', answer: '2' },
      { flag: '--max-per-day', answer: '4' },
      { flag: '--per-group', answer: '2' },
      { flag: '--style', answer: 'shadow' },
      { flag: '--position', answer: 'top' },
      { flag: '--style', answer: true },
      { flag: '--yes', answer: true },
    ]);
    const { ctx, output, opened } = context({ prompter, tty: true, env: { DISPLAY: ':0' } });
    const result = await runSessionNew({}, ctx);
    expect(prompter.asked).toHaveLength(13);
    expect(result?.session.render_settings).toEqual({ style: 'shadow', position: 'top' });
    // The preview is the first item as group 1 shows it (the first alternative of its caption), opened on the desktop.
    const preview = join(ctx.paths.cache, 'previews', 'session-look.jpg');
    expect(output.stderr).toContain(`Preview of the look, IMG_10.jpg as group 1 shows it: ${preview}`);
    expect(opened).toEqual([preview]);
    expect(await sharp(preview).metadata()).toMatchObject({ width: 1080, height: 1920, format: 'jpeg' });
    expect(await captionsOf(result!.session.id)).toEqual([
      ['IMG_10.jpg', 'ten | 10'],
      ['IMG_2.jpg', null],
    ]);
    expect(result?.session).toMatchObject({ frequency: 2, max_per_day: 4, per_group: 2, is_active: true });
    expect(output.stderr).toContain('2 groups a day (at most 4), 2 slides each');
  });

  it('asks for the type only when there are photos and clips, and creates nothing when the answer is no', async () => {
    const clips = await writePhotos(join(dir, 'clips'), ['clip.mp4']);
    await seedUploaded(alice, clips, { type: 'video' });
    const prompter = scriptedPrompter([
      { flag: '--type', answer: 'video' },
      { flag: '--order', answer: 'name' },
      { flag: '--captions FILE | --caption-template T', answer: 'template' },
      { flag: '--caption-template', answer: 'clip {n}' },
      { flag: '--frequency', answer: '1' },
      { flag: '--max-per-day', answer: '1' },
      { flag: '--per-group', answer: '1' },
      { flag: '--style', answer: 'box' },
      { flag: '--position', answer: 'bottom' },
      { flag: '--yes', answer: false },
    ]);
    const { ctx, output } = context({ prompter, tty: true });
    expect(await runSessionNew({ all: true }, ctx)).toBeNull();
    expect(output.stderr).toContain('No photo to preview the look on (the session has clips only).');
    expect(output.stderr).toContain('Nothing created.');
    expect(await alice.rows.select('media_sessions')).toEqual([]);
  });

  it('asks only the look a flag does not give, and draws the preview with the flags too', async () => {
    const prompter = scriptedPrompter([
      { flag: '--position', answer: 'bottom' },
      { flag: '--style', answer: true },
      { flag: '--yes', answer: true },
    ]);
    const { ctx, output } = context({ prompter, tty: true });
    const opts = { all: true, order: 'name', captionTemplate: 'x', frequency: 1, maxPerDay: 1, perGroup: 1, style: 'box', boxColor: 'yellow' } as const;
    const result = await runSessionNew(opts, ctx);
    expect(prompter.asked).toEqual(['--position', '--style', '--yes']);
    expect(result?.session.render_settings).toEqual({ style: 'box', boxColor: 'yellow', position: 'bottom' });
    const preview = join(ctx.paths.cache, 'previews', 'session-look.jpg');
    expect(output.stderr).toContain(preview);
    // The yellow box (#ffe600) sits in the bottom third of the slide.
    const { data, info } = await sharp(preview).raw().toBuffer({ resolveWithObject: true });
    let yellowRows = 0;
    for (let y = 0; y < info.height; y++) {
      const i = (y * info.width + info.width / 2) * info.channels;
      if ((data[i] ?? 0) > 220 && (data[i + 1] ?? 0) > 200 && (data[i + 2] ?? 255) < 60) yellowRows++;
      else if (yellowRows > 0 && y < (info.height * 2) / 3) expect.unreachable(`yellow above the bottom third, row ${y}`);
    }
    expect(yellowRows).toBeGreaterThan(20);
  });

  it('rejects answers that break the rules in the prompt itself', async () => {
    const prompter = scriptedPrompter([{ flag: '--frequency', answer: '0' }]);
    const { ctx } = context({ prompter, tty: true });
    await expect(runSessionNew({ all: true, order: 'name', captionTemplate: 'x' }, ctx)).rejects.toThrow(/expected a whole number above 0/);
  });
});

describe('switching the active session', () => {
  it('stops the previous active session in the same step, with --yes', async () => {
    const first = await runSessionNew({ all: true, frequency: 1 }, context().ctx);
    const { ctx, output } = context();
    const second = await runSessionNew({ files: [byName('IMG_1.jpg').id], frequency: 1, yes: true }, ctx);
    expect(second?.replaced).toBe(first?.session.id);
    const sessions = await alice.rows.select('media_sessions');
    expect(sessions.filter((s) => s.is_active).map((s) => s.id)).toEqual([second?.session.id]);
    expect(output.stderr).toContain(`Stopped session ${first?.session.id.slice(0, 8)}.`);
  });

  it('asks before stopping it on a terminal', async () => {
    await runSessionNew({ all: true, frequency: 1 }, context().ctx);
    const prompter = scriptedPrompter([{ flag: '--yes', answer: true }]);
    const { ctx, output } = context({ prompter, tty: true });
    await runSessionNew({ all: true, order: 'name', captionTemplate: 'x', frequency: 1, maxPerDay: 1, perGroup: 1, style: 'outline', position: 'center' }, ctx);
    expect(prompter.asked).toEqual(['--yes']);
    expect(output.stderr).toMatch(/This stops the active session [0-9a-f]{8}/);
    expect((await alice.rows.select('media_sessions')).filter((s) => s.is_active)).toHaveLength(1);
  });

  it('without a terminal and without --yes, refuses naming --yes and changes nothing', async () => {
    const first = await runSessionNew({ all: true, frequency: 1 }, context().ctx);
    const error = await refused({ all: true, frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.hint).toBe('pass --yes');
    const sessions = await alice.rows.select('media_sessions');
    expect(sessions.map((s) => [s.id, s.is_active])).toEqual([[first?.session.id, true]]);
  });
});

describe('validation: exit 2 with the flag named', () => {
  it('no selection flag and no terminal', async () => {
    const error = await refused({ frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.hint).toBe('pass --files ID… | --all | --from DIR');
  });

  it('no --frequency and no terminal', async () => {
    const error = await refused({ all: true });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.hint).toBe('pass --frequency');
  });

  it.each([
    [{ frequency: 0 }, /--frequency 0: expected a whole number above 0/],
    [{ frequency: 1.5 }, /--frequency 1.5: expected a whole number above 0/],
    [{ frequency: 1, maxPerDay: 0 }, /--max-per-day 0: expected a whole number above 0/],
    [{ frequency: 1, perGroup: -2 }, /--per-group -2: expected a whole number above 0/],
    [{ frequency: 3, maxPerDay: 2 }, /--max-per-day 2: is below the frequency of 3 a day/],
    [{ frequency: 1, perGroup: 4 }, /--per-group 4: is more than the 3 item\(s\)/],
  ])('%o', async (settings, message) => {
    const error = await refused({ all: true, ...settings });
    expect(exitCodeOf(error)).toBe(2);
    expect(userMessage(error)).toMatch(message);
  });

  it('an unknown file id', async () => {
    const error = await refused({ files: ['deadbeef'], frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe('no such file: deadbeef');
  });

  it("another user's file id reads as no such file", async () => {
    const bob = await t.user('bob@test.invalid');
    const [bobs] = await seedUploaded(bob, await writePhotos(join(dir, 'bob'), ['bob.jpg']));
    const error = await refused({ files: [byName('IMG_1.jpg').id, bobs!.id], frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(`no such file: ${bobs!.id}`);
    expect(await alice.rows.select('media_sessions')).toEqual([]);
  });

  it('an empty selection', async () => {
    const prompter = scriptedPrompter([{ flag: '--files ID… | --all | --from DIR', answer: [] }]);
    const error = await refused({ order: 'name', frequency: 1 }, context({ prompter, tty: true }).ctx);
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(/no files selected/);
  });

  it('no uploaded files of the type asked for', async () => {
    const error = await refused({ all: true, type: 'video', frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(/no files selected/);
  });

  it('two ways of choosing files at once', async () => {
    const error = await refused({ all: true, from: dir, frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(/--all and --from both choose the files/);
  });

  it('--from a folder with files not uploaded yet says to run slides upload first', async () => {
    const mixed = join(dir, 'mixed');
    const [, fresh] = await writePhotos(mixed, ['IMG_1.jpg', 'fresh.jpg']);
    const error = await refused({ from: mixed, frequency: 1 });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(`1 of the 2 files in ${mixed} are not uploaded yet: ${fresh}`);
    expect(error.hint).toBe(`run slides upload ${mixed} first`);
  });

  it('--from a folder that does not exist', async () => {
    const error = await refused({ from: join(dir, 'nope'), frequency: 1 });
    expect(userMessage(error)).toBe(`--from ${join(dir, 'nope')}: does not exist`);
  });

  it('a captions file that cannot be used', async () => {
    const error = await refused({ all: true, frequency: 1, captions: writeText(join(dir, 'c.json'), '{oops') });
    expect(exitCodeOf(error)).toBe(2);
    expect(userMessage(error)).toMatch(/--captions .*c\.json: is not valid JSON/);
  });

  it('a template with an unknown placeholder', async () => {
    const error = await refused({ all: true, frequency: 1, captionTemplate: 'Day {day}' });
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(/unknown placeholder \{day\}/);
  });
});
