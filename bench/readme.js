#!/usr/bin/env node
// Rewrites the README's performance table from bench/results.json: one row per result (its
// metric, value and unit, baseline and ratio when given, its goal and whether it is met), so a
// bench that returns a row with a goal shows up without touching this file.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- bench:start (bench/readme.js writes this table from bench/results.json) -->';
const END = '<!-- bench:end -->';

export function fmt(n) {
  const text = Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3).replace(/\.?0+$/, '') || '0';
  return text === '-0' ? '0' : text;
}

/**
 * A goal is a number (the ratio may be at most that) or text such as `< 300 MB`, `≥ 0.3`: with a
 * unit it bounds the value (which must be in that unit), without one (or with `x`) the ratio
 * when there is one.
 */
export function goalMet(row) {
  if (row.goal === undefined) return undefined;
  if (typeof row.goal === 'number') return row.ratio === undefined ? undefined : row.ratio <= row.goal;
  const m = /^\s*(<=|>=|<|>|≤|≥)\s*(-?[\d.]+)\s*(\S+)?\s*$/.exec(String(row.goal));
  if (!m) return undefined;
  const [, op, limit, given] = m;
  const unit = given === 'x' ? undefined : given;
  const value = unit === undefined && row.ratio !== undefined ? row.ratio : row.value;
  if (unit !== undefined && unit !== row.unit) return undefined;
  const n = Number(limit);
  return { '<': value < n, '>': value > n, '<=': value <= n, '≤': value <= n, '>=': value >= n, '≥': value >= n }[op];
}

function result(row) {
  const parts = [`${fmt(row.value)} ${row.unit ?? ''}`.trim()];
  if (row.baseline !== undefined) parts.push(`baseline ${fmt(row.baseline)}`);
  if (row.ratio !== undefined) parts.push(`${fmt(row.ratio)}x`);
  return parts.join(', ');
}

export function table(results) {
  const lines = ['| suite | what | result | goal | met | load |', '|---|---|---|---|---|---|'];
  for (const row of results.rows) {
    const met = goalMet(row);
    const goal = row.goal === undefined ? '' : typeof row.goal === 'number' ? `ratio ≤ ${row.goal}` : row.goal;
    const load = row.load === undefined ? '' : fmt(row.load);
    const cells = [row.suite, row.metric ?? row.name, result(row), goal, met === undefined ? '' : met ? 'yes' : 'NO', load];
    lines.push(`| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function writeReadmeTable(results = JSON.parse(readFileSync(RESULTS, 'utf8'))) {
  const readme = readFileSync(README, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section`);
  const body = `${START}\n${table(results)}\n${END}`;
  writeFileSync(README, readme.slice(0, from) + body + readme.slice(to + END.length));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeReadmeTable();
