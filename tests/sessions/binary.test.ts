import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLocalBackend } from '../../src/db/local/open.js';
import { loadSession } from '../../src/services/sessions/load.js';
import { BIN, runCli } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { skipWithout } from '../helpers/tools.js';
import { seedUploaded, writePhotos } from './fixtures.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

let home: string;

/** A SLIDES_HOME whose local backend already holds three uploaded photos, as `slides upload` leaves it. */
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slides-bin-home-'));
  const backend = await openLocalBackend({ dataRoot: testContext({ home }).ctx.paths.data });
  try {
    await seedUploaded(backend, await writePhotos(join(home, 'photos'), ['b.jpg', 'a.jpg', 'c.jpg']));
  } finally {
    await backend.close();
  }
}, 120_000);

async function activeSessionIn(home: string) {
  const backend = await openLocalBackend({ dataRoot: testContext({ home }).ctx.paths.data });
  try {
    return await loadSession(backend.rows);
  } finally {
    await backend.close();
  }
}

type Thirds = [number, number, number];

/** Near-white pixels of a 1080x1920 slide in its top, middle and bottom thirds. */
async function whites(path: string): Promise<Thirds> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([1080, 1920]);
  const thirds: Thirds = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) {
    if ((data[i] ?? 0) > 235 && (data[i + 1] ?? 0) > 235 && (data[i + 2] ?? 0) > 235) {
      const third = Math.min(2, Math.floor((i / info.channels / info.width / info.height) * 3));
      thirds[third] = (thirds[third] ?? 0) + 1;
    }
  }
  return thirds;
}

describe('slides session new, the built binary', () => {
  it('without a terminal and without a selection flag: exit 2 naming the flags, nothing asked', async () => {
    const result = await runCli(['session', 'new', '--frequency', '1'], { env: { SLIDES_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no terminal to ask on (pass --files ID… | --all | --from DIR)');
  });

  it('a bad flag value is exit 2 before anything opens', async () => {
    const result = await runCli(['session', 'new', '--all', '--frequency', '0'], { env: { SLIDES_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--frequency <n>' argument '0' is invalid. expected a whole number above 0.");
  });

  it('from flags alone: --from DIR --yes --json creates it, and show --json reads it back', async () => {
    const env = { SLIDES_HOME: home };
    const created = await runCli(['session', 'new', '--from', join(home, 'photos'), '--frequency', '1', '--yes', '--json'], { env });
    expect(created.code).toBe(0);
    const { session } = JSON.parse(created.stdout) as { session: { id: string } };
    const shown = await runCli(['--json', 'session', 'show', session.id.slice(0, 8)], { env });
    expect(shown.code).toBe(0);
    const doc = JSON.parse(shown.stdout) as { session: { is_active: boolean }; items: { file: string }[] };
    expect(doc.session.is_active).toBe(true);
    expect(doc.items.map((i) => i.file)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
  });

  // The one run on a real terminal: inquirer's prompts, answered by keystrokes through tmux.
  it.skipIf(skipWithout('tmux', hasTmux, 'apt-get install -y tmux'))('asks on a terminal (tmux) and creates the session from the answers', async () => {
    const socket = `slides-test-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', 'new');
    const waitFor = async (text: string | RegExp) => {
      for (let i = 0; i < 300; i++) {
        const shown = screen();
        if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`never saw ${String(text)} on the terminal:\n${screen()}`);
    };
    let outline: Thirds = [0, 0, 0];
    let box: Thirds = [0, 0, 0];
    const command = `env -u DISPLAY -u WAYLAND_DISPLAY SLIDES_HOME='${home}' NO_COLOR=1 '${process.execPath}' '${BIN}' session new; echo "exit $?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'new', '-x', '200', '-y', '50', command);
    try {
      await waitFor('Choose the files');
      tmux('send-keys', '-t', 'new', 'a');
      await waitFor(/◉ a\.jpg/);
      tmux('send-keys', '-t', 'new', 'Enter');
      await waitFor('Order of the slides');
      tmux('send-keys', '-t', 'new', 'Enter');
      await waitFor('Captions');
      tmux('send-keys', '-t', 'new', 'Enter');
      await waitFor('Template');
      tmux('send-keys', '-t', 'new', 'Enter');
      await waitFor('Slide groups per day');
      tmux('send-keys', '-t', 'new', '2', 'Enter');
      await waitFor('At most how many groups a day');
      tmux('send-keys', '-t', 'new', 'Enter');
      await waitFor('Slides per group');
      tmux('send-keys', '-t', 'new', 'BSpace', '2', 'Enter');
      // The look, seen on one slide before it is kept: outline in the centre first, refused; then a box at the bottom.
      await waitFor('Caption style');
      tmux('send-keys', '-t', 'new', 'Enter');
      await waitFor('Caption place');
      tmux('send-keys', '-t', 'new', 'Enter');
      const first = await waitFor('Keep this look?');
      const path = /Preview of the look, a\.jpg as group 1 shows it: (\S+)/.exec(first)?.[1];
      expect(path).toBe(join(home, 'cache', 'previews', 'session-look.jpg'));
      outline = await whites(path as string);
      tmux('send-keys', '-t', 'new', 'n', 'Enter');
      await waitFor(/Caption style[\s\S]*Caption style/);
      tmux('send-keys', '-t', 'new', 'Down', 'Enter');
      await waitFor(/Caption place[\s\S]*Caption place/);
      tmux('send-keys', '-t', 'new', 'Down', 'Enter');
      await waitFor(/Keep this look\?[\s\S]*Keep this look\?/);
      box = await whites(path as string);
      tmux('send-keys', '-t', 'new', 'y', 'Enter');
      const summary = await waitFor(/Create this session\?|stop it and make the new one active\?/);
      expect(summary).toMatch(/1\s+a\.jpg\s+Day 1 of 3/);
      expect(summary).toContain('2 groups a day (at most 2), 2 slides each');
      tmux('send-keys', '-t', 'new', 'y', 'Enter');
      const done = await waitFor('exit ');
      expect(done).toMatch(/Created session [0-9a-f]{8}, now the active one: 3 items/);
      expect(done).toContain('exit 0');
    } finally {
      tmux('kill-server');
    }
    // Outline: white letters in the centre only. Box: a white box, far more white, at the bottom only.
    expect(outline[1]).toBeGreaterThan(500);
    expect([outline[0], outline[2]]).toEqual([0, 0]);
    expect(box[2]).toBeGreaterThan(3 * outline[1]);
    expect([box[0], box[1]]).toEqual([0, 0]);
    const { session, items } = await activeSessionIn(home);
    expect(session).toMatchObject({ is_active: true, frequency: 2, max_per_day: 2, per_group: 2 });
    expect(session.render_settings).toEqual({ style: 'box', position: 'bottom' });
    expect(items.map((i) => [i.name, i.item.generated_caption])).toEqual([
      ['a.jpg', 'Day 1 of 3'],
      ['b.jpg', 'Day 2 of 3'],
      ['c.jpg', 'Day 3 of 3'],
    ]);
  }, 120_000);
});
