import { basename } from 'node:path';
import type { UploadProgress, UploadSummary } from './uploadFolder.js';

/** Sizes as people read them (powers of 1000, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * The status line of a run: files, bytes, rate and, once there is a rate, the time left. The rate
 * counts the bytes done in the `elapsedMs` the phase has been shown, not those done before it.
 */
export function progressText(p: UploadProgress, elapsedMs: number, bytesAtStart = 0): string {
  const verb = p.phase === 'checking' ? 'Checking' : 'Uploading';
  const parts = [`${verb} ${p.filesDone}/${p.filesTotal} files`, `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`];
  const rate = elapsedMs > 0 ? ((p.bytesDone - bytesAtStart) / elapsedMs) * 1000 : 0;
  if (rate > 0) {
    parts.push(`${formatBytes(rate)}/s`);
    parts.push(`ETA ${formatSeconds((p.bytesTotal - p.bytesDone) / rate)}`);
  }
  return parts.join(' · ');
}

/** The human summary: one headline, then one line per file worth a look. */
export function summaryLines(s: UploadSummary): string[] {
  const newBytes = s.uploaded.reduce((sum, f) => sum + f.sizeBytes, 0);
  const adopted = s.uploaded.filter((f) => f.adopted).length;
  const counts = [
    `${s.dryRun ? 'Would upload' : 'Uploaded'} ${plural(s.uploaded.length, 'file')} (${formatBytes(s.dryRun ? newBytes : s.bytesSent)}${s.dryRun ? '' : ' sent'}${adopted ? `, ${adopted} finished from an interrupted run` : ''})`,
    `${s.existing.length} already there`,
    `${s.skipped.length} skipped`,
    `${s.failed.length} failed`,
  ];
  const lines = [counts.join(' · ')];
  if (s.dryRun) for (const f of s.uploaded) lines.push(`  new      ${f.name} (${f.mime}, ${formatBytes(f.sizeBytes)})`);
  for (const f of s.existing) {
    if (f.storedAs !== null && f.storedAs !== basename(f.name)) lines.push(`  same     ${f.name}: already there as ${f.storedAs}`);
  }
  for (const f of s.skipped) lines.push(`  skipped  ${f.name}: ${f.reason}`);
  for (const f of s.failed) lines.push(`  failed   ${f.name}: ${f.reason}`);
  return lines;
}

/** The one JSON document of `slides upload --json`. */
export function summaryJson(s: UploadSummary) {
  return {
    dryRun: s.dryRun,
    counts: { uploaded: s.uploaded.length, existing: s.existing.length, skipped: s.skipped.length, failed: s.failed.length },
    bytesSent: s.bytesSent,
    uploaded: s.uploaded,
    existing: s.existing,
    skipped: s.skipped,
    failed: s.failed,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
