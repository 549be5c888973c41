import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where scheduled runs write: their own run records, plus whatever the run prints (cron/launchd redirect it). */
export function scheduleLogPath(stateDir: string): string {
  return join(stateDir, 'schedule.log');
}

export const LOG_ROTATE_BYTES = 1024 * 1024;

/**
 * Moves a log past `limit` bytes to `<log>.1` (replacing the previous one). Done by the CLI when a
 * run starts because neither cron nor launchd rotate; the scheduler appends to a fresh file next time.
 */
export function rotateLog(file: string, limit = LOG_ROTATE_BYTES): boolean {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return false;
  }
  if (size <= limit) return false;
  try {
    renameSync(file, `${file}.1`);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export interface RunRecord {
  at: Date;
  /** What the run did: rendered, not-due, taken, locked, no-session, failed. */
  outcome: string;
  detail: string;
}

const RECORD = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) run (\S+)(?: (.*))?$/;

export function formatRunRecord(record: RunRecord): string {
  const detail = record.detail.replace(/\s+/g, ' ').trim();
  return `${record.at.toISOString()} run ${record.outcome}${detail ? ` ${detail}` : ''}`;
}

export function appendRunRecord(file: string, record: RunRecord): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${formatRunRecord(record)}\n`, { mode: 0o600 });
}

/** The last `limit` run records, oldest first, from the log and its rotated predecessor. */
export function readRunRecords(file: string, limit: number): RunRecord[] {
  const records: RunRecord[] = [];
  for (const path of [`${file}.1`, file]) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const match = RECORD.exec(line);
      if (match) records.push({ at: new Date(match[1]!), outcome: match[2]!, detail: match[3] ?? '' });
    }
  }
  return records.slice(-limit);
}
