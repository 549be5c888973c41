import type {
  MediaSession,
  Profile,
  SessionMediaItem,
  SlideGroup,
  SlideGroupPost,
  SourceFile,
  TiktokAuth,
  UserSettings,
} from './types.js';

/**
 * The ports every use case is written against. Rows follow PostgREST's model (what supabase-js
 * speaks), so the supabase adapter maps them one to one and the local adapter turns them into SQL;
 * anything that must be one transaction is a SQL function in supabase/migrations, called with rpc.
 */
export interface Tables {
  profiles: Profile;
  tiktok_auth: TiktokAuth;
  source_files: SourceFile;
  media_sessions: MediaSession;
  session_media_items: SessionMediaItem;
  slide_groups: SlideGroup;
  slide_group_posts: SlideGroupPost;
  user_settings: UserSettings;
}
export type TableName = keyof Tables;

export type Op<V> =
  | { eq: V }
  | { neq: V }
  | { lt: V }
  | { lte: V }
  | { gt: V }
  | { gte: V }
  | { in: readonly V[] }
  | { is: null | boolean };

/** Each key is ANDed: a bare value means equality, `{ is: null }` means IS NULL. */
export type Where<R> = { [K in keyof R]?: R[K] | Op<R[K]> };

export interface Order<R> {
  column: keyof R & string;
  ascending?: boolean;
}

export interface SelectQuery<R> {
  where?: Where<R>;
  order?: Order<R>[];
  limit?: number;
}

export interface InsertOptions<R> {
  /** Columns of a unique constraint: conflicting rows are skipped and not returned. */
  onConflictIgnore?: (keyof R & string)[];
}

export interface Rows {
  select<T extends TableName>(table: T, query?: SelectQuery<Tables[T]>): Promise<Tables[T][]>;
  insert<T extends TableName>(
    table: T,
    rows: Partial<Tables[T]>[],
    options?: InsertOptions<Tables[T]>,
  ): Promise<Tables[T][]>;
  /** Returns the rows it changed, so a conditional update can tell whether it won. */
  update<T extends TableName>(table: T, patch: Partial<Tables[T]>, where: Where<Tables[T]>): Promise<Tables[T][]>;
  delete<T extends TableName>(table: T, where: Where<Tables[T]>): Promise<Tables[T][]>;
  /** Calls a SQL function from the migrations with named arguments. */
  rpc<R>(fn: string, args: Record<string, unknown>): Promise<R>;
}

export type Bucket = 'Sources' | 'Exports';

export type ObjectBody = { path: string } | { data: Uint8Array };

/** One object of an `uploadMany`. */
export interface Upload {
  key: string;
  body: ObjectBody;
  contentType: string;
}

export interface UploadManyOptions {
  concurrency: number;
  /** Called as each object's bytes are sent (its row may still be to write). */
  onSent?: (index: number) => void;
}

/** Null when the object was stored, else why not. */
export type UploadOutcome = Error | null;

export interface StoredObject {
  key: string;
  size: number;
  contentType: string | null;
}

/** A file read once for an upload (ObjectStore.ingest). */
export interface Ingested {
  sha256: string;
  /** What to upload: the store's own copy made in the same read (moved into place, not copied again), or the file. */
  body: ObjectBody;
  /** Removes the store's copy when it is not uploaded after all (uploading it uses it up). */
  release(): Promise<void>;
}

export interface ObjectStore {
  /**
   * A file's sha256, read once off the main thread. With `stage`, the embedded store copies the
   * file in the same read, so that uploading it is a rename: the bytes stored are the ones hashed.
   */
  ingest(path: string, options: { stage: boolean }): Promise<Ingested>;
  /** Throws ObjectExists when the key is taken and `upsert` is not set (Storage's 409). */
  upload(bucket: Bucket, key: string, body: ObjectBody, options: { contentType: string; upsert?: boolean }): Promise<void>;
  /**
   * Uploads several new objects as `upload` would each, `concurrency` at a time: an outcome each,
   * null once stored (ObjectExists for a taken key). The embedded store writes all their rows in
   * one transaction.
   */
  uploadMany(bucket: Bucket, uploads: Upload[], options: UploadManyOptions): Promise<UploadOutcome[]>;
  download(bucket: Bucket, key: string, toPath: string): Promise<void>;
  /** Objects whose key starts with `prefix` (a folder such as `<uid>/`), recursively. */
  list(bucket: Bucket, prefix: string): Promise<StoredObject[]>;
  remove(bucket: Bucket, keys: string[]): Promise<void>;
  signedUrl(bucket: Bucket, key: string, expiresInSeconds: number): Promise<string>;
}

export interface Identity {
  userId: string;
  email: string | null;
  /** Supabase project ref, or `local` for the embedded backend. */
  project: string;
}

export type BackendKind = 'local' | 'supabase';

export interface Backend {
  readonly kind: BackendKind;
  readonly identity: Identity;
  readonly rows: Rows;
  readonly storage: ObjectStore;
  /**
   * Lets go of what the backend holds (the embedded database and its lock) while a long step
   * runs without it, so other commands can use it; the next call takes it again. Supabase holds
   * nothing.
   */
  suspend(): Promise<void>;
  /**
   * Waits for this machine's other render of the same data to finish, and holds the turn until
   * released: the embedded backend's renders take turns, so a `rendering` group a render finds is
   * one whose process died. Supabase's renders interleave (a dead one is found by its age).
   */
  renderTurn(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
