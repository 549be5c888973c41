// slides publish against a TikTok stand-in on loopback, through the local backend (PGlite + folder
// buckets): the seconds a draft publish spends beyond sending the bytes (group lookup, claim, init,
// row writes, status polls), for a one-chunk and a three-chunk video, with TikTok's own waits (the
// first status poll after 1 s) counted apart and not slept.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalUser, migrate, openPglite } from '../dist/db/local/database.js';
import { localBackend } from '../dist/db/local/backend.js';
import { publishGroup } from '../dist/services/publish/publishGroup.js';

const MB = 1024 * 1024;
const RUNS = 3;

/** Inbox init, the chunked PUT and status/fetch: just enough of TikTok to time slides against. */
async function tiktokStandIn() {
  const posts = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const reply = (data) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data, error: { code: 'ok', message: '', log_id: 'bench' } }));
      };
      if (req.url === '/v2/post/publish/inbox/video/init/') {
        const id = `bench-${posts.size + 1}`;
        posts.set(id, { size: JSON.parse(body.toString()).source_info.video_size, received: 0 });
        return reply({ publish_id: id, upload_url: `http://127.0.0.1:${server.address().port}/upload/${id}` });
      }
      if (req.url?.startsWith('/upload/')) {
        const post = posts.get(req.url.slice('/upload/'.length));
        post.received += body.length;
        res.writeHead(post.received === post.size ? 201 : 206);
        return res.end();
      }
      if (req.url === '/v2/post/publish/status/fetch/') {
        const post = posts.get(JSON.parse(body.toString()).publish_id);
        return reply({ status: post.received === post.size ? 'SEND_TO_USER_INBOX' : 'PROCESSING_UPLOAD', uploaded_bytes: post.received });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function bench() {
  const root = await mkdtemp(join(tmpdir(), 'slides-publish-bench-'));
  const tiktok = await tiktokStandIn();
  const db = await openPglite({ dataDir: join(root, 'db') });
  try {
    await migrate(db);
    const userId = await ensureLocalUser(db);
    const backend = localBackend({ db, userId, email: null, storageDir: join(root, 'storage') });
    const session = await backend.rows.rpc('slides_create_session', { p_frequency: 1, p_max_per_day: null, p_per_group: null, p_items: [], p_replace_active: true });
    const paths = { data: join(root, 'data'), cache: join(root, 'cache') };
    let waited = 0;
    const deps = {
      backend,
      clock: { now: () => new Date() },
      paths,
      endpoints: { authUrl: `${tiktok.url}/v2/auth/authorize/`, apiUrl: tiktok.url },
      access: { openId: 'bench', scopes: ['video.upload'], accessToken: async () => 'act.bench', refresh: async () => 'act.bench' },
      waiter: { now: () => Date.now(), sleep: async (ms) => void (waited += ms) },
    };
    const off = { allowComments: false, allowDuet: false, allowStitch: false, brandOrganic: false, brandedContent: false, autoMusic: false };
    let number = 0;
    const rows = [];
    for (const [label, bytes] of [['2 MB, 1 chunk', 2 * MB], ['16 MB, 3 chunks', 16 * MB]]) {
      const overheads = [];
      let sent = 0;
      let uploadMs = 0;
      for (let run = 0; run < RUNS; run++) {
        number += 1;
        const name = `bench-${number}`;
        const folder = join(paths.data, 'groups', session.id, name);
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, 'video.mp4'), randomBytes(bytes));
        await backend.rows.insert('slide_groups', [
          { session_id: session.id, group_number: number, folder: `${userId}/${session.id}/${name}`, video_path: `${userId}/${session.id}/${name}/video.mp4`, slide_count: 1, status: 'done' },
        ]);
        waited = 0;
        const result = await publishGroup(deps, { kind: 'video', mode: 'draft', choices: off, again: false });
        if (result.status !== 'sent_to_inbox') throw new Error(`publish ended ${result.status}`);
        overheads.push((result.totalMs - result.uploadMs) / 1000);
        sent += bytes;
        uploadMs += result.uploadMs;
      }
      overheads.sort((a, b) => a - b);
      rows.push({ metric: `draft publish overhead beyond the upload, ${label} (median of ${RUNS})`, value: overheads[Math.floor(RUNS / 2)], unit: 's', goal: '< 0.5 s' });
      rows.push({ metric: `upload to loopback, ${label}`, value: sent / MB / (uploadMs / 1000), unit: 'MB/s' });
    }
    rows.push({ metric: 'TikTok-facing waits per draft (first status poll), not slept here', value: waited / 1000, unit: 's' });
    return rows;
  } finally {
    await db.close();
    await tiktok.close();
    await rm(root, { recursive: true, force: true });
  }
}
