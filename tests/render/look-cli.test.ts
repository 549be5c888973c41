/**
 * A session's look and post text through the built binary in a temp HOME: two sessions with
 * different looks, each rendered by `run --due` with its own; and a session's music rendered by a
 * second machine (another SLIDES_HOME against the same Supabase project, the stub), fetched from
 * Sources rather than from the path it was given.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import type { Manifest } from '../../src/services/render/manifest.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { audioSeconds, streamsOf, tone } from '../media/video-fixtures.js';
import { stubbedProject, type StubbedProject } from '../supabase/fixture.js';
import { writePhoto } from './seed.js';

// Paris, 18:00 local: a once-a-day session is due.
const NOW = '2025-06-10T16:00:00.000Z';

let root: string;
let photos: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'slides-look-cli-'));
  photos = join(root, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < 2; i++) await writePhoto(photos, i);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(env: NodeJS.ProcessEnv) {
  return async (args: string[]): Promise<CliResult> => {
    const result = await runCli(args, { env: { SLIDES_TIMEZONE: 'Europe/Paris', SLIDES_NOW: NOW, NO_COLOR: '1', SLIDES_KEYCHAIN: 'off', ...env } });
    expect(result.code, `slides ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
}

interface Rendered {
  outcome: string;
  result: { sessionId: string; folder: string; manifest: string; slides: string[]; video: string | null };
}

/** Pixels of the box colour (pure green) on a slide. */
async function greenPixels(file: string): Promise<number> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if ((data[i] as number) < 60 && (data[i + 1] as number) > 200 && (data[i + 2] as number) < 60) n += 1;
  }
  return n;
}

describe('a session keeps its look (binary)', () => {
  it('two sessions with different looks: run --due renders each with its own', async () => {
    const home = join(root, 'two-looks');
    const slides = cli({ SLIDES_HOME: home, HOME: home });
    await slides(['upload', photos]);
    const boxed = JSON.parse(
      (
        await slides([
          'session', 'new', '--all', '--yes', '--frequency', '1', '--caption-template', 'hello from {name}', '--json',
          '--style', 'box', '--box-color', '#00ff00', '--position', 'bottom', '--slide-duration', '1', '--transition', 'none',
          '--post-caption', 'Day {n} in Lisbon | Night {n}', '--hashtags', '#lisbon #travel',
        ])
      ).stdout,
    ) as { session: { id: string } };
    const outlined = JSON.parse(
      (
        await slides([
          'session', 'new', '--all', '--yes', '--frequency', '1', '--caption-template', 'hello from {name}', '--json',
          '--style', 'outline', '--slide-duration', '1', '--transition', 'none',
        ])
      ).stdout,
    ) as { session: { id: string } };

    const show = JSON.parse((await slides(['session', 'show', boxed.session.id.slice(0, 8), '--json'])).stdout) as {
      look: Record<string, { value: unknown; from: string }>;
      post: Record<string, unknown>;
    };
    expect(show.look.style).toEqual({ value: 'box', from: 'session' });
    expect(show.look.boxColor).toEqual({ value: '#00ff00', from: 'session' });
    expect(show.look.preset).toEqual({ value: '9:16', from: 'default' });
    expect(show.post).toEqual({ postCaption: 'Day {n} in Lisbon | Night {n}', hashtags: ['#lisbon', '#travel'] });
    const shown = (await slides(['session', 'show', boxed.session.id.slice(0, 8)], )).stdout;
    expect(shown).toMatch(/--style\s+box\s+session/);
    expect(shown).toMatch(/--preset\s+9:16\s+default/);
    expect(shown).toMatch(/Post\s+Day \{n\} in Lisbon \| Night \{n\} #lisbon #travel/);

    // The outlined session is the active one: run --due renders it; then the boxed one.
    const first = JSON.parse((await slides(['run', '--due', '--json'])).stdout) as Rendered;
    await slides(['session', 'activate', boxed.session.id.slice(0, 8)]);
    const second = JSON.parse((await slides(['run', '--due', '--json'])).stdout) as Rendered;
    expect([first.outcome, second.outcome]).toEqual(['rendered', 'rendered']);
    expect([first.result.sessionId, second.result.sessionId]).toEqual([outlined.session.id, boxed.session.id]);

    const manifestOf = (r: Rendered) => JSON.parse(readFileSync(r.result.manifest, 'utf8')) as Manifest;
    const outline = manifestOf(first);
    const box = manifestOf(second);
    expect(outline.settings).toMatchObject({ style: 'outline', position: 'center', from: { style: 'session', position: 'default' } });
    expect(outline.settings).not.toHaveProperty('boxColor');
    expect(outline.post).toBeUndefined();
    expect(box.settings).toMatchObject({ style: 'box', boxColor: '#00ff00', position: 'bottom', from: { style: 'session', boxColor: 'session' } });
    expect(box.post).toEqual({ caption: 'Day 1 in Lisbon', hashtags: ['#lisbon', '#travel'] });

    // Pixels: the box is drawn in its colour under the caption; the outline has none of it.
    expect(await greenPixels(second.result.slides[0] as string)).toBeGreaterThan(2000);
    expect(await greenPixels(first.result.slides[0] as string)).toBe(0);
  });

  it("a render's own flag wins over the session's look", async () => {
    const home = join(root, 'flag-wins');
    const slides = cli({ SLIDES_HOME: home, HOME: home });
    await slides(['upload', photos]);
    await slides(['session', 'new', '--all', '--yes', '--frequency', '1', '--caption-template', 'hi {n}', '--style', 'box', '--box-color', '#00ff00']);
    const rendered = JSON.parse((await slides(['render', '--no-video', '--no-upload', '--style', 'outline', '--json'])).stdout) as Rendered['result'];
    const manifest = JSON.parse(readFileSync(rendered.manifest, 'utf8')) as Manifest;
    expect(manifest.settings).toMatchObject({ style: 'outline', boxColor: '#00ff00', from: { style: 'flag', boxColor: 'session' } });
    expect(await greenPixels(rendered.slides[0] as string)).toBe(0);
  });
});

describe("a session's music on a second machine (binary, Supabase stub)", () => {
  let project: StubbedProject;
  beforeAll(async () => {
    project = await stubbedProject();
  }, 60_000);
  afterAll(async () => project.stub.close());

  it('renders from another SLIDES_HOME with the song fetched from Sources, not from the path it was given', async () => {
    const user = await project.stub.createUser();
    const env = {
      SUPABASE_URL: project.stub.url,
      SUPABASE_ANON_KEY: project.stub.anonKey,
      SLIDES_ACCESS_TOKEN: project.stub.session(user).access_token,
    };
    const first = join(root, 'machine-1');
    const second = join(root, 'machine-2');
    const songDir = join(root, 'songs');
    mkdirSync(songDir);
    const song = await tone(resolveFfmpeg(process.env).path, songDir, 3, 'song.m4a');
    const one = cli({ ...env, SLIDES_HOME: first, HOME: first });
    await one(['upload', photos]);
    await one(['session', 'new', '--all', '--yes', '--frequency', '1', '--slide-duration', '1', '--transition', 'none', '--audio', song]);
    const listed = JSON.parse((await one(['files', 'list', '--type', 'audio', '--json'])).stdout) as { type: string; name: string; key: string }[];
    expect(listed.map((f) => [f.type, f.name])).toEqual([['audio', 'song.m4a']]);
    rmSync(songDir, { recursive: true, force: true });

    const two = cli({ ...env, SLIDES_HOME: second, HOME: second });
    const rendered = JSON.parse((await two(['run', '--due', '--json'])).stdout) as Rendered;
    expect(rendered.outcome).toBe('rendered');
    const video = rendered.result.video as string;
    const { streams, duration } = await streamsOf(video);
    const audio = streams.find((s) => s.codec_type === 'audio');
    expect(audio, 'the video has the song').toBeDefined();
    expect(duration).toBeGreaterThan(1.5);
    expect(Math.abs((await audioSeconds(resolveFfmpeg(process.env).path, video)) - duration)).toBeLessThan(0.15);
    const manifest = JSON.parse(readFileSync(rendered.result.manifest, 'utf8')) as Manifest;
    const sha = listed[0]?.key.split('/').pop()?.split('.')[0];
    expect((manifest.settings.video as { audio: { name: string; sha256: string } }).audio).toEqual({ name: 'song.m4a', sha256: sha });
    // Fetched into the second machine's cache, named by its hash.
    expect(readdirSync(join(second, 'cache', 'sources'))).toContain(`${sha}.m4a`);
    expect(existsSync(join(first, 'cache', 'sources', `${sha}.m4a`))).toBe(false);
  });
});
