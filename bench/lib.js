// Helpers the bench suites share: running a child, watching children's peak memory, summarising runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs a command to completion; a non-zero exit rejects with the tail of its stderr. */
export function exec(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(env ? { env } : {}) });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${stderr.slice(-500)}`))));
  });
}

/** Samples VmHWM (the kernel's own peak, so sampling only has to catch the child alive) of our children. */
export function watchChildren() {
  let peak = 0;
  const sample = () => {
    for (const pid of childPids()) {
      try {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        peak = Math.max(peak, kb);
      } catch {
        // The child exited between listing and reading.
      }
    }
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

function childPids() {
  try {
    return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** A JPEG made unique by a comment segment after its SOI marker: the same pixels, another sha256. */
export function uniqueJpeg(jpeg, note) {
  const text = Buffer.from(note);
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), com, text, jpeg.subarray(2)]);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The fastest of `runs` runs of fn, in ms. */
export async function fastest(runs, fn) {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}
