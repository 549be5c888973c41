#!/usr/bin/env node
import { main } from '../dist/cli.js';

const code = await main({
  argv: process.argv,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: Boolean(process.stdin.isTTY),
});
process.exitCode = code;
