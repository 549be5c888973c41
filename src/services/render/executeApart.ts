import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SlidesError } from '../../errors.js';
import type { OnRenderEvent, RenderEvent } from './events.js';
import { executeGroupSpec } from './execute.js';
import type { GroupFiles } from './group.js';
import type { GroupSpec } from './spec.js';

export type WorkerMessage =
  | { event: RenderEvent }
  | { files: GroupFiles }
  | { error: { message: string; hint?: string; exitCode: number } };

/** A failure in the render's child process, exiting as the original error would. */
export class RenderWorkerFailed extends SlidesError {
  override readonly exitCode: number;
  constructor(error: { message: string; hint?: string; exitCode: number }) {
    super(error.message, error.hint === undefined ? undefined : { hint: error.hint });
    this.exitCode = error.exitCode;
  }
}

const WORKER = fileURLToPath(new URL('./executeWorker.js', import.meta.url));

/**
 * executeGroupSpec in a child process, so that the parent's database is not in its way, with two
 * glibc settings for libvips (bench/render.bench.js, 100 slides, largest process):
 * - two malloc arenas instead of one per thread: sharp's pipelines on libuv's threads otherwise
 *   each keep their own arena's worth of freed memory (~400 MB peak);
 * - the mmap threshold held at glibc's starting 128 KB: left to rise (up to 32 MB) once image
 *   buffers are freed, it puts the next decoded photos in the heap, which keeps what they free
 *   (12-MP phone photos: ~230 MB peak instead of ~315; ~4 % slower).
 * The child is started at once and the spec sent when it is ready: loading the renderer takes the
 * child ~0.3 s, while the parent fetches the sources and finds the song's beats. Run from the
 * TypeScript sources (tests), it runs in-process.
 */
export function executeApart(spec: Promise<GroupSpec>, report: OnRenderEvent): Promise<GroupFiles> {
  if (!existsSync(WORKER)) return spec.then((ready) => executeGroupSpec(ready, report));
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], {
      env: {
        ...process.env,
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
        MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
      },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const settle = (error: unknown) => {
      settled = true;
      reject(error);
    };
    child.on('message', (message: WorkerMessage) => {
      if ('event' in message) return report(message.event);
      settled = true;
      if ('files' in message) resolve(message.files);
      else reject(new RenderWorkerFailed(message.error));
    });
    child.on('error', settle);
    child.on('exit', (code, signal) => {
      if (!settled) reject(new SlidesError(`the render's worker process stopped (${signal ?? `exit ${code}`}) before it finished`));
    });
    spec.then(
      (ready) => child.send(ready),
      (error: unknown) => {
        settle(error);
        child.kill();
      },
    );
  });
}
