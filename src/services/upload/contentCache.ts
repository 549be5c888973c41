/**
 * What each file uploaded before was found to hold (its sha256 and detected type), remembered by
 * its path, size and stamp (device, inode, modified and changed times), so a re-run over a folder
 * already uploaded reads no file whose stamp is unchanged, as git's index does. A lost or broken
 * cache only costs the reads again: it is a JSON file written whole and renamed into place.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DetectedMedia } from './detect.js';
import type { FileStamp, ScannedFile } from './scan.js';

export interface KnownContent {
  sha256: string;
  media: DetectedMedia;
}

export interface ContentCache {
  lookup(file: ScannedFile): KnownContent | undefined;
  /** `readAtMs`: when the file's reading began (a file changed just before it is not trusted). */
  remember(file: ScannedFile, content: KnownContent, readAtMs: number): void;
  save(): Promise<void>;
}

interface Entry extends FileStamp, KnownContent {
  size: number;
}

const VERSION = 1;
/** Entries kept, the most recently seen first: a few MB of JSON at most. */
const MAX_ENTRIES = 20_000;
/**
 * A file whose modified and changed times are both less than this before it was read may change
 * again within its file system's time granularity (2 s on FAT) leaving its stamp as it was, so
 * its hash is not remembered. One old time is enough: the next write moves it.
 */
const SETTLED_MS = 2_000;

export async function openContentCache(file: string): Promise<ContentCache> {
  const entries = await readEntries(file);
  const seen = new Map<string, Entry>();
  const matches = (entry: Entry, f: ScannedFile) =>
    typeof entry.sha256 === 'string' &&
    (entry.media?.kind === 'image' || entry.media?.kind === 'video') &&
    entry.size === f.size &&
    entry.dev === f.stamp.dev &&
    entry.ino === f.stamp.ino &&
    entry.mtimeMs === f.stamp.mtimeMs &&
    entry.ctimeMs === f.stamp.ctimeMs;
  return {
    lookup(f) {
      const entry = entries.get(f.path);
      if (!entry || !matches(entry, f)) return undefined;
      seen.set(f.path, entry);
      return { sha256: entry.sha256, media: entry.media };
    },
    remember(f, content, readAtMs) {
      if (readAtMs - Math.min(f.stamp.mtimeMs, f.stamp.ctimeMs) < SETTLED_MS) return;
      seen.set(f.path, { size: f.size, ...f.stamp, ...content });
    },
    async save() {
      if (seen.size === 0) return;
      // Re-read, so a run beside this one keeps what it remembered.
      const merged = new Map([...seen, ...[...(await readEntries(file))].filter(([path]) => !seen.has(path))]);
      const kept = Object.fromEntries([...merged].slice(0, MAX_ENTRIES));
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      // It names the creator's files: readable by them alone.
      await writeFile(tmp, JSON.stringify({ version: VERSION, files: kept }), { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}

async function readEntries(file: string): Promise<Map<string, Entry>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; files?: Record<string, Entry> };
    return parsed.version === VERSION && parsed.files ? new Map(Object.entries(parsed.files)) : new Map();
  } catch {
    return new Map();
  }
}
