import { stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MediaType } from '../../db/types.js';
import { sha256File } from '../../sha256.js';
import type { Warning } from '../../warning.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestSource {
  slide: string;
  position: number | null;
  media_type: MediaType;
  source_file_id: string;
  source_path: string;
  sha256: string | null;
  original_name: string | null;
  caption: string | null;
}

/** A file the render used beside the sources: named, never located. */
export interface ManifestAsset {
  name: string;
  sha256: string;
}

export interface ManifestOutput {
  file: string;
  bytes: number;
  sha256: string;
}

/** The post's own text (the TikTok title or description): the session's post caption and hashtags for this group. */
export interface ManifestPost {
  caption: string | null;
  hashtags: string[];
}

/** How the session says a group is published (its --publish, --privacy and toggles); each absent when not set. */
export interface ManifestPublish {
  mode?: 'draft' | 'direct';
  privacy?: string;
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
}

export interface Manifest {
  session_id: string;
  group_number: number;
  created_at: string;
  settings: Record<string, unknown>;
  sources: ManifestSource[];
  outputs: ManifestOutput[];
  warnings: Warning[];
  /** Absent in groups rendered before sessions had post text. */
  post?: ManifestPost;
  publish?: ManifestPublish;
}

export async function describeOutputs(files: readonly string[]): Promise<ManifestOutput[]> {
  return Promise.all(
    files.map(async (file) => ({ file: basename(file), bytes: (await stat(file)).size, sha256: await sha256File(file) })),
  );
}

/** Written last into the folder: its presence says the group is complete. */
export async function writeManifest(folder: string, manifest: Manifest): Promise<string> {
  const file = join(folder, MANIFEST_FILE);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}
