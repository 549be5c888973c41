import type { RenderEvent, RenderStage } from '../services/render/events.js';
import { wallClockWithZone } from '../services/schedule/wallClock.js';
import type { IO, Progress } from './io.js';

type Texts = { start: (total: number) => string; done: (e: Extract<RenderEvent, { status: 'done' }>) => string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Stages drawn as a status line; the manifest and the record are too quick to show. */
const SHOWN: Partial<Record<RenderStage, Texts>> = {
  fetch: { start: (n) => `Fetching sources 0/${n}`, done: (e) => `Fetched ${plural(e.total, 'source')}` },
  slides: { start: (n) => `Rendering ${n} slides`, done: (e) => `Rendered ${plural(e.total, 'slide')}` },
  video: { start: () => 'Rendering video 0%', done: (e) => `Rendered video.mp4 (${(e.seconds ?? 0).toFixed(1)} s)` },
  upload: { start: (n) => `Uploading ${n} files to Exports`, done: (e) => `Uploaded to Exports/${e.folder ?? ''}/` },
};

/** A render's events as status lines and warnings on the command's IO. */
export function renderProgress(io: IO, o: { timeZone: string }): (event: RenderEvent) => void {
  let line: Progress | undefined;
  return (event) => {
    switch (event.type) {
      case 'recovered':
        io.warn(
          `group ${event.groupNumber}, started ${wallClockWithZone(new Date(event.startedAt), o.timeZone)}, never finished (crash?): marked failed, its count given back`,
        );
        return;
      case 'files':
        line?.update(`${event.stage === 'fetch' ? 'Fetching sources' : 'Uploading'} ${event.done}/${event.total}${event.stage === 'upload' ? ' files to Exports' : ''}`);
        return;
      case 'frame':
        line?.update(`Rendering video ${Math.round(event.fraction * 100)}%`);
        return;
      case 'stage': {
        const texts = SHOWN[event.stage];
        if (!texts) return;
        if (event.status === 'start') {
          const text = texts.start(event.total);
          io.debug(text);
          line = io.progress(text);
        } else if (event.status === 'done') line?.succeed(texts.done(event));
        else line?.fail();
      }
    }
  };
}
