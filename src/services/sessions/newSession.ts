/**
 * The use case behind `slides session new`: which uploaded files, their captions, and the one
 * transaction that makes the session the active one. The command asks the questions; every
 * answer arrives here as a plain value.
 */
import type { Backend, Rows } from '../../db/backend.js';
import type { MediaSession, MediaType, SessionMediaItem } from '../../db/types.js';
import { UsageError } from '../../errors.js';
import type { Warning } from '../../warning.js';
import { readCaptionsFile } from '../captions/captionsFile.js';
import { resolveCaptions, type ResolvedCaption } from '../captions/resolve.js';
import { readSidecarCaption } from '../captions/sidecar.js';
import { checkTemplate } from '../captions/template.js';
import type { LookInput } from '../render/look.js';
import { allCandidates, candidatesByIds, type Candidate } from './candidates.js';
import { createSession } from './create.js';
import { candidatesFromDir } from './fromDir.js';
import { orderCandidates } from './order.js';
import type { PostSettings } from './post.js';
import { applyLookChange } from './sessionLook.js';
import { checkScheduleSettings, type ScheduleSettings } from './settings.js';

/** How the files are chosen: by id (unique prefixes), or those matching a folder's content. */
export type FileSelection = { by: 'ids'; ids: readonly string[] } | { by: 'dir'; dir: string };

/** The chosen files, in the order they were named or found. */
export function selectFiles(rows: Rows, selection: FileSelection, type?: MediaType): Promise<Candidate[]> {
  return selection.by === 'ids' ? candidatesByIds(rows, selection.ids, type) : candidatesFromDir(rows, selection.dir, type);
}

/** Every upload a session may take, in name order; a UsageError when there is none yet. */
export async function uploadedFiles(rows: Rows): Promise<Candidate[]> {
  const everything = await allCandidates(rows);
  if (everything.length === 0) throw new UsageError('you have no uploaded files yet.', { hint: 'slides upload DIR' });
  return orderCandidates(everything, 'name');
}

/** The caption file beside each item picked from a folder (photo.jpg.txt or photo.txt); null where none. */
export function sidecarCaptions(items: readonly Candidate[]): Promise<(string | null)[]> {
  return Promise.all(items.map((c) => (c.localPath ? readSidecarCaption(c.localPath) : null)));
}

export interface CaptionAnswers {
  /** Per item, typed for it (strongest); null where nothing was typed. */
  typed?: readonly (string | null)[];
  /** A captions file: one per line, or .json/.csv by file name. */
  file?: string;
  template?: string;
}

/** Each item's caption, strongest first: typed, sidecar, captions file, template. */
export async function itemCaptions(
  items: readonly Candidate[],
  sidecars: readonly (string | null)[],
  answers: CaptionAnswers,
): Promise<{ captions: ResolvedCaption[]; warnings: Warning[] }> {
  if (answers.template !== undefined) checkTemplate(answers.template);
  const file = answers.file === undefined ? undefined : await readCaptionsFile(answers.file.trim());
  return resolveCaptions(
    items.map((c, i) => ({ name: c.name, sourceFileId: c.file.id, sidecar: sidecars[i] ?? null, explicit: answers.typed?.[i] })),
    { file, template: answers.template },
  );
}

export interface SessionStart {
  /** In session order. */
  items: readonly Candidate[];
  captions: readonly ResolvedCaption[];
  settings: ScheduleSettings;
  look: { look?: LookInput; post?: PostSettings };
  /** The user agreed to stop the active session. */
  replaceActive: boolean;
}

/** Checks the schedule against the items, stores the look's music and font once, and creates the session. */
export async function startSession(
  backend: Backend,
  start: SessionStart,
): Promise<{ session: MediaSession; items: SessionMediaItem[]; uploaded: string[]; warnings: Warning[] }> {
  checkScheduleSettings(start.settings, start.items.length);
  const stored = await applyLookChange(backend, start.look);
  const created = await createSession(backend.rows, {
    items: start.items.map((candidate, i) => ({ candidate, caption: start.captions[i]?.caption || null })),
    settings: start.settings,
    replaceActive: start.replaceActive,
    stored,
  });
  return { ...created, uploaded: stored.uploaded, warnings: stored.warnings };
}
