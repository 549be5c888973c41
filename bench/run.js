#!/usr/bin/env node
// Runs every bench/*.bench.js (each exports `async function bench(): Promise<Row[]>`), prints one
// table, merges the rows into bench/results.json (a suite run again replaces its old rows; the
// others stay) and rewrites the README's performance table from it (bench/readme.js). Each row
// records the machine's 1-minute load when its suite ended: times mean little on a busy machine.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, goalMet, writeReadmeTable } from './readme.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const rows = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const { bench } = await import(join(here, file));
  const suiteRows = await bench();
  const load = loadavg()[0];
  for (const row of suiteRows) rows.push({ suite: file.replace('.bench.js', ''), ...row, load });
}
const cols = ['suite', 'metric', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met', 'load'];
const cell = (r, c) => {
  if (c === 'met') return { true: 'yes', false: 'NO', undefined: '' }[String(goalMet(r))];
  return r[c] === undefined ? '' : typeof r[c] === 'number' ? fmt(r[c]) : String(r[c]);
};
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
const line = (vals) => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
console.log(line(cols));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));

const file = join(here, 'results.json');
const ran = new Set(rows.map((r) => r.suite));
const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).rows.filter((r) => !ran.has(r.suite)) : [];
const results = {
  at: new Date().toISOString(),
  node: process.version,
  rows: [...kept, ...rows].sort((a, b) => a.suite.localeCompare(b.suite)),
};
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
writeReadmeTable(results);
