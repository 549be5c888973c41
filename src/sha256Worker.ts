import { parentPort } from 'node:worker_threads';
import { sha256FileSync } from './sha256.js';

export interface HashRequest {
  id: number;
  path: string;
  copyTo?: string;
}

export type HashReply = { id: number; sha256: string } | { id: number; error: { message: string; code?: string; syscall?: string; path?: string } };

/** A thread of sha256Pool: hashes (and copies) one file per request. */
parentPort?.on('message', (request: HashRequest) => {
  let reply: HashReply;
  try {
    reply = { id: request.id, sha256: sha256FileSync(request.path, request.copyTo) };
  } catch (caught) {
    const error = caught as NodeJS.ErrnoException;
    reply = { id: request.id, error: { message: error.message, code: error.code, syscall: error.syscall, path: error.path } };
  }
  parentPort?.postMessage(reply);
});
