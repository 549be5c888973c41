/**
 * The bad-input corpus (scripts/make-bad-corpus.js) walked through the built binary in one temp
 * SLIDES_HOME: upload, a re-run, session new with odd captions, render, then every bad flag.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED, CAPTIONS as captions, makeBadCorpus, SKIPPED as skipped } from '../../scripts/make-bad-corpus.js';
import { runCli, type CliResult } from '../helpers/cli.js';

const accepted = Object.keys(ACCEPTED).sort();

let root: string;
let files: string;
let home: string;

const slides = (args: string[]) => runCli(args, { env: { SLIDES_HOME: home, SLIDES_TIMEZONE: 'UTC', NO_COLOR: '1' } });

function expectNoStackTrace(run: CliResult): void {
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).not.toMatch(/^\s+at /m);
}

interface ListedFile {
  name: string;
  key: string;
}

async function listed(): Promise<ListedFile[]> {
  const run = await slides(['files', 'list', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ListedFile[];
}

function sourceObjects(): string[] {
  const bucket = join(home, 'data', 'storage', 'Sources');
  return readdirSync(bucket, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'slides-corpus-'));
  home = join(root, 'home');
  files = await makeBadCorpus(root);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the bad-input corpus through slides upload', () => {
  it('uploads every readable photo and clip and skips each bad file with one line naming it (exit 0)', async () => {
    const run = await slides(['upload', files]);
    expect(run.code, run.stderr).toBe(0);
    expectNoStackTrace(run);
    const [summary, ...lines] = run.stdout.trimEnd().split('\n');
    expect(summary).toMatch(new RegExp(`^Uploaded ${accepted.length} files .* · 0 already there · ${Object.keys(skipped).length} skipped · 0 failed$`));
    for (const [name, words] of Object.entries(skipped)) {
      const mine = lines.filter((l) => l.startsWith(`  skipped  files/${name}: `));
      expect(mine, name).toHaveLength(1);
      expect(mine[0]).toContain(words);
    }
    expect(lines).toHaveLength(Object.keys(skipped).length);
    expect((await listed()).map((f) => f.name).sort()).toEqual(accepted);
  });

  it('a re-run sends nothing, inserts nothing and names the same skipped files', async () => {
    const before = sourceObjects();
    const run = await slides(['upload', files]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Uploaded 0 files \\(0 B sent\\) · ${accepted.length} already there · ${Object.keys(skipped).length} skipped · 0 failed\n`));
    expect(sourceObjects()).toEqual(before);
    expect((await listed()).map((f) => f.name).sort()).toEqual(accepted);
  });

  it('a missing path beside the corpus is named and fails the run (exit 4); the corpus stays whole', async () => {
    const missing = join(root, 'no such folder');
    const run = await slides(['upload', files, missing]);
    expect(run.code).toBe(4);
    expectNoStackTrace(run);
    expect(run.stdout).toContain(`  failed   ${missing}: no such file or directory`);
    expect(run.stderr).toBe('error: 1 file failed; the others are uploaded (run the same command again to retry: nothing is sent twice)\n');
    const objects = sourceObjects();
    const rows = await listed();
    expect(rows).toHaveLength(accepted.length);
    expect(rows.map((r) => r.key.split('/')[1]).sort()).toEqual(objects);
  });
});

describe('the accepted corpus through session new and render', () => {
  it('renders every odd source and caption (emoji, right-to-left, 300 characters, blank) into 1080x1920 slides', async () => {
    const session = await slides([
      'session', 'new', '--all', '--yes', '--frequency', '2', '--per-group', String(accepted.length),
      '--captions', join(root, 'captions.json'), '--caption-template', 'slide {n} of {total}',
    ]);
    expect(session.code, session.stderr).toBe(0);

    const render = await slides(['render', '--no-video', '--json']);
    expect(render.code, render.stderr).toBe(0);
    expectNoStackTrace(render);
    const result = JSON.parse(render.stdout) as { slides: string[]; manifest: string };
    expect(result.slides).toHaveLength(accepted.length);
    for (const slide of result.slides) {
      expect(await sharp(slide).metadata(), slide).toMatchObject({ width: 1080, height: 1920, format: 'jpeg' });
    }
    // Whatever a caption holds, what could not be drawn comes back as one warning line per slide.
    for (const line of render.stderr.trimEnd().split('\n').filter(Boolean)) expect(line).toMatch(/^warning: slide-\d\d\.jpg: /);

    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as { sources: { original_name: string; caption: string | null }[] };
    const byName = new Map(manifest.sources.map((s) => [s.original_name, s.caption]));
    expect([...byName.keys()].sort()).toEqual(accepted);
    expect(byName.get('good photo.jpg')).toBe(captions['good photo.jpg']);
    expect(byName.get('été 🌅 à Lisbonne.jpg')).toBe(captions['été 🌅 à Lisbonne.jpg']);
    expect(byName.get('really a png.jpg')).toHaveLength(300);
    // A blank caption is no caption: the template fills that item like the uncaptioned ones.
    expect(byName.get('tiny 1x1.jpg')).toMatch(/^slide \d of 8$/);
  });
});

describe('bad flags and arguments', () => {
  const cases: { args: string[]; says: RegExp }[] = [
    { args: ['session', 'new', '--all', '--yes', '--frequency', 'abc'], says: /--frequency.*'abc' is invalid/ },
    {
      args: ['session', 'new', '--all', '--yes', '--frequency', '3', '--max-per-day', '1'],
      says: /^error: --max-per-day 1: is below the frequency of 3 a day: the cap would stop scheduled groups \(pass --max-per-day 3 or more\)$/,
    },
    { args: ['session', 'new', '--all', '--yes', '--caption-template', 'day {day}'], says: /^error: --caption-template "day \{day\}": unknown placeholder \{day\}/ },
    { args: ['session', 'new', '--from', '/no/such/folder', '--yes'], says: /^error: --from \/no\/such\/folder: does not exist$/ },
    // Values the flag parser lets through and media refuses: the field media names comes back as the flag.
    { args: ['render', '--text-color', 'nocolour'], says: /^error: --text-color nocolour: not a colour \(use a hex colour like #ffcc00/ },
    { args: ['render', '--audio', 'no-song.mp3'], says: /^error: --audio \/.*\/no-song\.mp3: no such file$/ },
    // A file that is there but is no song or font is refused before a group number is taken or a slide drawn.
    { args: ['render', '--audio', 'docs/examples/look-box-merged.jpg'], says: /^error: --audio \/.*\/look-box-merged\.jpg: not a music file \(mp3, m4a/ },
    { args: ['render', '--font', 'docs/examples/look-box-merged.jpg'], says: /^error: --font \/.*\/look-box-merged\.jpg: not a font file that can be read/ },
    { args: ['schedule', 'install', '--every', '7m', '--dry-run'], says: /^error: --every 7m: cron cannot run that evenly through the day/ },
    { args: ['render', '--preset', '3:2'], says: /--preset.*'3:2' is invalid\. Allowed choices are 9:16, 4:5, 1:1/ },
    { args: ['render', '--style', 'neon'], says: /--style.*'neon' is invalid\. Allowed choices are outline, box, shadow, translucent\.$/ },
    { args: ['render', '--align', 'middle'], says: /--align.*'middle' is invalid\. Allowed choices are left, center, right\.$/ },
    { args: ['render', '--caption-size', 'huge'], says: /^error: --caption-size huge: not a caption size \(use s, m, l or a pixel size at 1080 wide from 20 to 200\)$/ },
    { args: ['render', '--caption-size', '500'], says: /^error: --caption-size 500: outside 20–200 px \(use s, m, l/ },
    { args: ['render', '--slide-duration', 'x'], says: /^error: --slide-duration x: expected a number of seconds above 0$/ },
    { args: ['upload', '--concurrency', '0', 'somewhere'], says: /--concurrency.*'0' is invalid/ },
    { args: ['upload'], says: /missing required argument 'path'/ },
    { args: ['session', 'activate'], says: /missing required argument 'id'/ },
    { args: ['frobnicate'], says: /unknown command 'frobnicate'/ },
    { args: ['session', 'new', '--files', 'nope', '--yes', '--frequency', '1'], says: /no such file: nope/ },
  ];

  let sessionsBefore: string;
  beforeAll(async () => {
    sessionsBefore = (await slides(['session', 'list', '--json'])).stdout;
  });

  it.each(cases)('slides $args: exit 2 and one line naming what is wrong', async ({ args, says }) => {
    const run = await slides(args);
    expect(run.code).toBe(2);
    expectNoStackTrace(run);
    const [first] = run.stderr.split('\n');
    expect(first).toMatch(/^error: /);
    expect(first).toMatch(says);
    expect(run.stdout).toBe('');
  });

  it('none of them changed a session', async () => {
    expect((await slides(['session', 'list', '--json'])).stdout).toBe(sessionsBefore);
  });
});
