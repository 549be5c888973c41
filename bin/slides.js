#!/usr/bin/env node
import { main } from '../dist/cli.js';

// A reader that goes away (`slides files list | head -1`) must not crash a command half-way:
// the work finishes, the rest of its output goes nowhere.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const code = await main({
  argv: process.argv,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: Boolean(process.stdin.isTTY),
});
process.exitCode = code;
