import pLimit, { type LimitFunction } from 'p-limit';
import type { Backend, Ingested, ObjectStore, Rows } from '../../db/backend.js';
import { selectIn } from '../../db/selectIn.js';
import type { MediaType, SourceFile } from '../../db/types.js';
import { ObjectExists, UsageError, messageOf } from '../../errors.js';
import type { ContentCache } from './contentCache.js';
import { detectMedia, type DetectedMedia } from './detect.js';
import { readEnds, readMetadata, type FileEnds } from '../../media/metadata.js';
import { describeFsError, scanPaths, type Passed, type ScannedFile } from './scan.js';

export interface UploadOptions {
  paths: string[];
  recursive: boolean;
  concurrency: number;
  dryRun: boolean;
  onProgress?: (progress: UploadProgress) => void;
  /** What files read before hold: an unchanged one is not read again. */
  cache?: ContentCache;
}

/** Checking reads every file once (type and hash) unless the cache knows it; uploading sends only the new ones. */
export interface UploadProgress {
  phase: 'checking' | 'uploading';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface LandedFile {
  name: string;
  /** The source_files row; null in a dry run. */
  id: string | null;
  key: string;
  type: MediaType;
  mime: string;
  /** The file's own name, kept as `original_name`. */
  originalName: string;
  sizeBytes: number;
  sha256: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  /** Its object was already stored by an interrupted run: only the row was written. */
  adopted: boolean;
}

export interface ExistingFile {
  name: string;
  /** Null only for a copy of a file this dry run would upload. */
  id: string | null;
  /** The name the content was first uploaded under. */
  storedAs: string | null;
}

export interface UploadSummary {
  dryRun: boolean;
  uploaded: LandedFile[];
  existing: ExistingFile[];
  skipped: Passed[];
  failed: Passed[];
  bytesSent: number;
  foldersNotEntered: number;
  /** Entries the scan found (files and skipped ones): 0 with failures means no path given could be read. */
  found: number;
}

interface Inspected extends Ingested {
  file: ScannedFile;
  media: DetectedMedia;
  /**
   * What its object and row would be, read once it is hashed, beside the next files' reads; a
   * file the cache knew is described only if new.
   */
  described?: Promise<Landing>;
}

/** Files of the same content in one run: the first is uploaded, the copies share its fate. */
interface ContentGroup {
  first: Inspected;
  copies: Inspected[];
}

type Landing = { kind: 'landed'; file: LandedFile } | { kind: 'existing'; file: Omit<ExistingFile, 'name'> } | { kind: 'passed'; skipped: boolean; reason: string };

export const SOURCES_BUCKET = 'Sources';
/** Rows written per insert: a crash loses at most this many rows, whose objects the next run adopts. */
const ROWS_PER_INSERT = 50;

/** What the batches of one upload share: the content seen so far, and what became of it. */
interface Run {
  backend: Backend;
  options: UploadOptions;
  /** Files being read (type, then hash), and files being described: each at most `concurrency`. */
  limit: LimitFunction;
  describing: LimitFunction;
  summary: UploadSummary;
  progress: Progress;
  groups: Map<string, ContentGroup>;
  settled: { group: ContentGroup; landing: Landing }[];
}

/**
 * Uploads the media under `paths` to the Sources bucket, one source_files row each. The object
 * is written before its row, so a run cut short leaves at most an object without a row, which
 * the next run adopts; content already stored (under any name) is neither sent nor inserted.
 * The files are read ROWS_PER_INSERT at a time (once each: the embedded store copies them as
 * they are hashed), each batch landing (objects, then rows) while the next is read.
 */
export async function uploadFolder(backend: Backend, options: UploadOptions): Promise<UploadSummary> {
  const scan = await scanPaths(options.paths, { recursive: options.recursive });
  const summary: UploadSummary = {
    dryRun: options.dryRun,
    uploaded: [],
    existing: [],
    skipped: [...scan.skipped],
    failed: [...scan.failed],
    bytesSent: 0,
    foldersNotEntered: scan.foldersNotEntered,
    found: scan.files.length + scan.skipped.length,
  };
  const run: Run = {
    backend,
    options,
    limit: pLimit(options.concurrency),
    describing: pLimit(options.concurrency),
    summary,
    progress: progress(scan.files, options.onProgress),
    groups: new Map(),
    settled: [],
  };
  const inspected: Inspected[] = [];
  let landing: Promise<void> = Promise.resolve();
  let landingFailed = false;
  try {
    for (let i = 0; i < scan.files.length && !landingFailed; i += ROWS_PER_INSERT) {
      const batch = (await Promise.all(scan.files.slice(i, i + ROWS_PER_INSERT).map((file) => run.limit(() => inspect(run, file))))).filter(
        (item): item is Inspected => item !== undefined,
      );
      inspected.push(...batch);
      landing = landing.then(() => landBatch(run, batch));
      // Its failure is thrown below; meanwhile it stops the reading.
      landing.catch(() => (landingFailed = true));
    }
    run.progress.checked();
    // A cache that cannot be written costs the next run its reads, not this run its upload.
    await options.cache?.save().catch(() => undefined);
    await landing;
  } finally {
    await landing.catch(() => undefined);
    // The copies ingest made of files that were not uploaded (stored already, or failed).
    await Promise.all(inspected.map((item) => item.release()));
  }

  for (const { group, landing: landed } of run.settled) {
    record(summary, group.first.file.name, landed);
    for (const copy of group.copies) record(summary, copy.file.name, copyLanding(landed, group.first));
  }
  for (const list of [summary.uploaded, summary.existing, summary.skipped, summary.failed]) {
    list.sort((a, b) => a.name.localeCompare(b.name));
  }
  return summary;
}

/** A file's type and hash (read once, or known from the cache), or undefined once it is passed. */
async function inspect(run: Run, file: ScannedFile): Promise<Inspected | undefined> {
  const { options } = run;
  try {
    const known = options.cache?.lookup(file);
    if (known) return { file, ...known, body: { path: file.path }, release: async () => undefined };
    const readAt = Date.now();
    const ends = await readEnds(file.path);
    const media = await detectMedia(file.path, ends.head);
    const ingested = await run.backend.storage.ingest(file.path, { stage: !options.dryRun });
    options.cache?.remember(file, { media, sha256: ingested.sha256 }, readAt);
    const item: Inspected = { file, media, ...ingested };
    return { ...item, described: run.describing(() => describe(run.backend, item, ends).catch(passedLanding)) };
  } catch (error) {
    pass(run.summary, file.name, error);
    return undefined;
  } finally {
    run.progress.check(file);
  }
}

/** One batch's new content: described, its objects sent, then its rows inserted in one go. */
async function landBatch(run: Run, items: Inspected[]): Promise<void> {
  const { backend, options, summary, groups, progress: tracked } = run;
  const unseen = [...new Set(items.map((i) => i.sha256).filter((sha) => !groups.has(sha)))];
  const stored = await rowsBySha(backend.rows, unseen);
  const batch: ContentGroup[] = [];
  for (const item of items) {
    const group = groups.get(item.sha256);
    const row = stored.get(item.sha256);
    if (group) group.copies.push(item);
    else if (row) summary.existing.push({ name: item.file.name, id: row.id, storedAs: row.original_name });
    else {
      groups.set(item.sha256, { first: item, copies: [] });
      batch.push(groups.get(item.sha256) as ContentGroup);
      tracked.found(item.file);
    }
  }
  const described = await Promise.all(
    batch.map(({ first }) => first.described ?? run.describing(() => describe(backend, first).catch(passedLanding))),
  );
  let objects = described;
  if (options.dryRun) batch.forEach((group) => tracked.upload(group.first.file));
  else {
    objects = await send(backend.storage, batch, described, { concurrency: options.concurrency, done: (group) => tracked.upload(group.first.file) });
    for (const [k, landed] of objects.entries()) {
      if (landed.kind === 'landed' && !landed.file.adopted) summary.bytesSent += batch[k]?.first.file.size ?? 0;
    }
  }
  const landings = options.dryRun ? objects : await insertRows(backend.rows, objects);
  batch.forEach((group, k) => run.settled.push({ group, landing: landings[k] as Landing }));
}

/** What the stored object and its row will be (the file's size and length read, nothing sent). */
async function describe(backend: Backend, item: Inspected, ends?: FileEnds): Promise<Landing> {
  const { file, media, sha256 } = item;
  const meta = await readMetadata(file.path, media, ends);
  const landed: LandedFile = {
    name: file.name,
    id: null,
    key: `${backend.identity.userId}/${sha256}.${media.ext}`,
    type: media.kind,
    mime: media.mime,
    originalName: file.originalName,
    sizeBytes: file.size,
    sha256,
    width: meta.width,
    height: meta.height,
    durationSeconds: meta.durationSeconds,
    adopted: false,
  };
  return { kind: 'landed', file: landed };
}

function passedLanding(error: unknown): Landing {
  return { kind: 'passed', skipped: error instanceof UsageError, reason: reasonOf(error) };
}

/**
 * A batch's objects stored in one go (uploadMany); their rows are written after, with the
 * batch's. An object already stored whole by an interrupted run is adopted, one cut short is
 * replaced: the key names the content, so a different size can only be a write cut short.
 */
async function send(
  storage: ObjectStore,
  batch: ContentGroup[],
  landings: Landing[],
  o: { concurrency: number; done: (group: ContentGroup) => void },
): Promise<Landing[]> {
  const sending = landings.flatMap((l, k) => {
    const first = (batch[k] as ContentGroup).first;
    return l.kind === 'landed' ? [{ k, file: l.file, body: first.body, path: first.file.path }] : [];
  });
  const reported = new Set<number>();
  const done = (k: number) => {
    const group = batch[k];
    if (group && !reported.has(k)) o.done(group);
    reported.add(k);
  };
  const outcomes = await storage.uploadMany(
    SOURCES_BUCKET,
    sending.map((s) => ({ key: s.file.key, body: s.body, contentType: s.file.mime })),
    { concurrency: o.concurrency, onSent: (i) => done(sending[i]?.k ?? -1) },
  );
  const sent = [...landings];
  const limit = pLimit(o.concurrency);
  await Promise.all(
    sending.map(({ k, file, path }, i) =>
      limit(async () => {
        const outcome = outcomes[i];
        try {
          if (outcome instanceof ObjectExists) sent[k] = { kind: 'landed', file: { ...file, adopted: await adopt(storage, file, path) } };
          else if (outcome) sent[k] = passedLanding(outcome);
        } catch (error) {
          sent[k] = passedLanding(error);
        }
      }),
    ),
  );
  landings.forEach((_, k) => done(k));
  return sent;
}

/** True when the object is there whole already; else it is sent again in place of the cut one. */
async function adopt(storage: ObjectStore, file: LandedFile, path: string): Promise<boolean> {
  const existing = (await storage.list(SOURCES_BUCKET, file.key)).find((o) => o.key === file.key);
  if (existing?.size === file.sizeBytes) return true;
  await storage.upload(SOURCES_BUCKET, file.key, { path }, { contentType: file.mime, upsert: true });
  return false;
}

/**
 * The source_files rows of a batch's stored objects, in one insert (one transaction, or one
 * request to Supabase, rather than one a file). Should that insert fail, each row is tried on its
 * own, so one bad row fails only its file.
 */
async function insertRows(rows: Rows, landings: Landing[]): Promise<Landing[]> {
  const stored = landings.flatMap((l) => (l.kind === 'landed' ? [l.file] : []));
  if (stored.length === 0) return landings;
  let ids: Map<string, unknown>;
  try {
    ids = await insertSourceRows(rows, stored);
  } catch {
    ids = new Map();
    for (const file of stored) {
      try {
        for (const [sha256, id] of await insertSourceRows(rows, [file])) ids.set(sha256, id);
      } catch (error) {
        ids.set(file.sha256, error);
      }
    }
  }
  // Rows another run inserted between our lookup and now.
  const missing = stored.filter((f) => !ids.has(f.sha256)).map((f) => f.sha256);
  const others = await rowsBySha(rows, missing);
  return landings.map((l): Landing => {
    if (l.kind !== 'landed') return l;
    const id = ids.get(l.file.sha256);
    if (typeof id === 'string') return { kind: 'landed', file: { ...l.file, id } };
    // The row's own insert failed: its object stays, for the next run to adopt.
    if (id !== undefined) return { kind: 'passed', skipped: id instanceof UsageError, reason: reasonOf(id) };
    const other = others.get(l.file.sha256);
    return { kind: 'existing', file: { id: other?.id ?? null, storedAs: other?.original_name ?? null } };
  });
}

/** sha256 → the id of each row inserted (a row another run inserted first is not). */
async function insertSourceRows(rows: Rows, files: LandedFile[]): Promise<Map<string, string>> {
  const inserted = await rows.insert(
    'source_files',
    files.map((f) => ({
      file_path: f.key,
      file_type: f.type,
      sha256: f.sha256,
      original_name: f.originalName,
      size_bytes: f.sizeBytes,
      width: f.width,
      height: f.height,
      duration_seconds: f.durationSeconds,
      mime_type: f.mime,
    })),
    { onConflictIgnore: ['user_id', 'sha256'] },
  );
  return new Map(inserted.flatMap((row) => (row.sha256 ? [[row.sha256, row.id] as const] : [])));
}

async function rowsBySha(rows: Rows, hashes: string[]): Promise<Map<string, SourceFile>> {
  const found = new Map<string, SourceFile>();
  for (const row of await selectIn(rows, 'source_files', 'sha256', hashes)) if (row.sha256) found.set(row.sha256, row);
  return found;
}

/** A second file with the same content as `first` in this run shares its fate. */
function copyLanding(landing: Landing, first: Inspected): Landing {
  if (landing.kind === 'landed') {
    return { kind: 'existing', file: { id: landing.file.id, storedAs: first.file.originalName } };
  }
  if (landing.kind === 'existing') return landing;
  return { ...landing, reason: `same content as ${first.file.name}: ${landing.reason}` };
}

function record(summary: UploadSummary, name: string, landing: Landing): void {
  if (landing.kind === 'landed') summary.uploaded.push(landing.file);
  else if (landing.kind === 'existing') summary.existing.push({ ...landing.file, name });
  else (landing.skipped ? summary.skipped : summary.failed).push({ name, reason: landing.reason });
}

/** Bad content is skipped (the user's file to fix); anything else failed (worth a re-run). */
function pass(summary: UploadSummary, name: string, error: unknown): void {
  if (error instanceof UsageError) summary.skipped.push({ name, reason: reasonOf(error) });
  else if ((error as NodeJS.ErrnoException).code) summary.failed.push({ name, reason: `cannot read it: ${describeFsError(error)}` });
  else summary.failed.push({ name, reason: reasonOf(error) });
}

function reasonOf(error: unknown): string {
  const hint = error instanceof UsageError && error.hint ? `; ${error.hint}` : '';
  return `${messageOf(error)}${hint}`;
}

type Progress = ReturnType<typeof progress>;

/**
 * Checking (reading every file) and uploading (the new ones) overlap: the status is checking's
 * until every file is read, then uploading's, counting what went up meanwhile.
 */
function progress(files: ScannedFile[], onProgress: UploadOptions['onProgress']) {
  const checking: UploadProgress = {
    phase: 'checking',
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
  };
  const uploading: UploadProgress = { phase: 'uploading', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let reading = true;
  const emit = (shown: UploadProgress) => {
    if ((shown === checking) === reading) onProgress?.({ ...shown });
  };
  if (files.length > 0) emit(checking);
  return {
    check(file: ScannedFile) {
      checking.filesDone += 1;
      checking.bytesDone += file.size;
      emit(checking);
    },
    checked() {
      reading = false;
      if (uploading.filesTotal > 0) emit(uploading);
    },
    found(file: ScannedFile) {
      uploading.filesTotal += 1;
      uploading.bytesTotal += file.size;
      emit(uploading);
    },
    upload(file: ScannedFile) {
      uploading.filesDone += 1;
      uploading.bytesDone += file.size;
      emit(uploading);
    },
  };
}
