/** A finished slide group (real MP4 + JPEG slides, in Exports and the local group folder) and a fake TikTok with a token, for the publish tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Backend } from '../../src/db/backend.js';
import type { SlideGroup } from '../../src/db/types.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg/binaries.js';
import type { TikTokAccess } from '../../src/tiktok/access.js';
import type { Waiter } from '../../src/tiktok/api/rateLimit.js';
import { addPostingRoutes, type FakePosting } from './fake/posting.js';
import { startFakeTikTok, type FakeTikTok } from './fake/server.js';
import { emptySession } from '../helpers/sessions.js';

export const ALL_SCOPES = ['user.info.basic', 'video.upload', 'video.publish'];

/** A real H.264 MP4: `seconds` long; `noisy` makes it big (about 5–6 MB a second) for the chunk tests. */
export function writeVideo(file: string, o: { seconds?: number; noisy?: boolean } = {}): string {
  const source = o.noisy ? 'testsrc2=s=360x640:r=30,noise=alls=60:allf=t' : 'testsrc2=s=360x640:r=30';
  const rate = o.noisy ? ['-b:v', '45M', '-maxrate', '45M', '-bufsize', '10M'] : [];
  execFileSync(resolveFfmpeg().path, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-t', String(o.seconds ?? 1),
    '-c:v', 'libx264', '-preset', 'ultrafast', ...rate, '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

/**
 * A `done` slide group as a render leaves it: video and slides in Exports under
 * `<uid>/<session>/<name>/`, the same files in `<data>/groups/<session>/<name>/` unless `localCopy` is false.
 */
export async function finishedGroup(
  backend: Backend,
  dataDir: string,
  o: { video?: { seconds?: number; noisy?: boolean }; slides?: number; localCopy?: boolean; sessionId?: string; number?: number } = {},
): Promise<SlideGroup> {
  const sessionId = o.sessionId ?? (await emptySession(backend)).id;
  const number = o.number ?? 1;
  const name = `20261202-0900${String(number).padStart(2, '0')}-g${number}`;
  const folder = `${backend.identity.userId}/${sessionId}/${name}`;
  const local = join(dataDir, 'groups', sessionId, name);
  mkdirSync(local, { recursive: true });
  const video = writeVideo(join(local, 'video.mp4'), o.video);
  const slides: string[] = [];
  for (let i = 1; i <= (o.slides ?? 2); i++) {
    const file = join(local, `slide-${String(i).padStart(2, '0')}.jpg`);
    await sharp({ create: { width: 1080, height: 1920, channels: 3, background: { r: 40 * i, g: 90, b: 160 } } }).jpeg().toFile(file);
    slides.push(file);
  }
  for (const file of [...slides, video]) {
    const key = `${folder}/${file.split('/').pop()}`;
    await backend.storage.upload('Exports', key, { data: readFileSync(file) }, { contentType: file.endsWith('.mp4') ? 'video/mp4' : 'image/jpeg' });
  }
  if (o.localCopy === false) execFileSync('rm', ['-rf', local]);
  const [group] = await backend.rows.insert('slide_groups', [
    { session_id: sessionId, group_number: number, folder, video_path: `${folder}/video.mp4`, slide_count: slides.length, status: 'done' },
  ]);
  return group as SlideGroup;
}

/** A fake TikTok with posting routes and one issued token; `access` refreshes by issuing a new one. */
export async function fakeTikTokWithToken(scopes: string[] = ALL_SCOPES): Promise<{
  fake: FakeTikTok;
  posting: FakePosting;
  access: TikTokAccess & { refreshes: number; current(): string };
}> {
  const fake = await startFakeTikTok();
  const posting = addPostingRoutes(fake);
  let n = 0;
  let token = '';
  const issue = () => {
    n += 1;
    token = `act.fake-${n}-${Math.random().toString(36).slice(2)}`;
    fake.accessTokens.set(token, { openId: 'open-creator', scopes, expiresAt: Date.now() + 3_600_000, revoked: false });
    return token;
  };
  issue();
  const access = {
    openId: 'open-creator',
    scopes,
    refreshes: 0,
    current: () => token,
    accessToken: async () => token,
    refresh: async () => {
      access.refreshes += 1;
      return issue();
    },
  };
  return { fake, posting, access };
}

/** Real time, but every wait a hundred times shorter; it remembers what was asked for. */
export function quickWaiter(): Waiter & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    now: () => Date.now(),
    sleep: (ms) => {
      asked.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms / 100));
    },
  };
}
