#!/usr/bin/env node
// Runs every bench/*.bench.js (each exports `async function bench(): Promise<Row[]>`), prints one
// table and writes bench/results.json so runs can be compared.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  for (const row of await bench()) rows.push({ suite: file.replace('.bench.js', ''), ...row });
}
const cols = ['suite', 'metric', 'value', 'unit', 'baseline', 'ratio', 'goal'];
const cell = (r, c) => (r[c] === undefined ? '' : typeof r[c] === 'number' ? fmt(r[c]) : String(r[c]));
function fmt(n) {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3);
}
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
const line = (vals) => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
console.log(line(cols));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));
writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
);
