import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sha256FileSync } from './sha256.js';
import type { HashReply, HashRequest } from './sha256Worker.js';

const WORKER = fileURLToPath(new URL('./sha256Worker.js', import.meta.url));

/** sha256FileSync(path, copyTo) on one of the pool's threads. */
type Hash = (path: string, copyTo?: string) => Promise<string>;

interface Thread {
  worker: Worker;
  waiting: Map<number, { resolve: (sha256: string) => void; reject: (error: Error) => void }>;
}

const THREADS = 2;

/**
 * sha256FileSync on worker threads, one per core (at most THREADS): on the main thread hashing
 * runs on one core and holds up everything else there; two threads hash 200 photos in ~75 ms
 * instead of ~195. A thread starts when every other one is busy (~30 ms) and keeps the process
 * alive only while it has files. Run from the TypeScript sources (tests), it hashes on the main
 * thread, blocking it.
 */
function sha256Pool(): Hash {
  if (!existsSync(WORKER)) return async (path, copyTo) => sha256FileSync(path, copyTo);
  const size = Math.max(1, Math.min(THREADS, availableParallelism()));
  const pool: Thread[] = [];
  let next = 0;

  function start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER), waiting: new Map() };
    thread.worker.unref();
    thread.worker.on('message', (reply: HashReply) => {
      const waiting = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if (thread.waiting.size === 0) thread.worker.unref();
      if ('sha256' in reply) waiting?.resolve(reply.sha256);
      else waiting?.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    const stop = (error: Error) => {
      const at = pool.indexOf(thread);
      if (at >= 0) pool.splice(at, 1);
      for (const waiting of thread.waiting.values()) waiting.reject(error);
      thread.waiting.clear();
    };
    thread.worker.on('error', stop);
    thread.worker.on('exit', (code) => stop(new Error(`a sha256 thread stopped (exit ${code})`)));
    return thread;
  }

  return (path, copyTo) => {
    if (pool.length < size && pool.every((t) => t.waiting.size > 0)) pool.push(start());
    const thread = pool.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = next++;
    return new Promise((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, path, copyTo } satisfies HashRequest);
    });
  };
}

let shared: Hash | undefined;

/** sha256FileSync on the process's one pool. */
export function sha256OffThread(path: string, copyTo?: string): Promise<string> {
  shared ??= sha256Pool();
  return shared(path, copyTo);
}
