import type { PublishEvent } from '../services/publish/publishGroup.js';
import type { IO, Progress } from './io.js';

const MB = 1024 * 1024;

/** A publish's events as one status line on a TTY, and the lines worth keeping (waits, resumes) everywhere. */
export function publishProgress(io: IO): { onEvent: (event: PublishEvent) => void; stop(ok: boolean): void } {
  let line: Progress | undefined;
  const show = (text: string) => {
    io.debug(text);
    if (line) line.update(text);
    else line = io.progress(text);
  };
  return {
    onEvent: (event) => {
      switch (event.type) {
        case 'group':
          show(`Slide group ${event.group.group_number} (${event.group.id.slice(0, 8)})`);
          return;
        case 'claimed':
          if (event.resumed) io.info(`Picking up the post a previous run left unfinished${event.post.publish_id ? ` (publish id ${event.post.publish_id})` : ''}`);
          return;
        case 'video':
          show(`Video ${(event.video.size / MB).toFixed(1)} MB in ${event.plan.count} chunk${event.plan.count === 1 ? '' : 's'}${event.video.downloaded ? ' (downloaded from Exports)' : ''}`);
          return;
        case 'chunk':
          show(`Uploading to TikTok: ${(event.bytes / MB).toFixed(1)} of ${(event.total / MB).toFixed(1)} MB sent (chunk ${event.index + 1}/${event.count})`);
          return;
        case 'chunk-retry':
          io.info(`Chunk ${event.index + 1} answered ${event.status}; sending it again in ${(event.ms / 1000).toFixed(1)} s`);
          return;
        case 'upload-expired':
          io.info('TikTok’s upload link expired; starting the upload again');
          return;
        case 'uploaded':
          show('Uploaded; TikTok is processing it (this can take a few minutes)');
          return;
        case 'wait':
          if (event.wait.reason !== 'limit') {
            io.info(`TikTok ${event.wait.reason === 'rate-limited' ? 'asked slides to slow down' : 'had a server error'}; trying again in ${Math.ceil(event.wait.ms / 1000)} s`);
          } else io.debug(`waiting ${event.wait.ms} ms to stay inside TikTok's rate limits (${event.wait.path})`);
          return;
        case 'refreshed':
          io.debug('TikTok refused the access token; renewed it');
          return;
        case 'status':
          show(`TikTok: ${event.status.status.toLowerCase().replace(/_/g, ' ')}`);
          return;
        case 'claim-lost':
          io.warn('another slides run took over this post; it carries on from here');
          return;
        case 'creator':
          io.info(`Posting to TikTok as ${event.creator.creator_nickname} (@${event.creator.creator_username})`);
          return;
        case 'init':
          return;
      }
    },
    stop: (ok) => {
      if (ok) line?.stop();
      else line?.fail();
      line = undefined;
    },
  };
}
