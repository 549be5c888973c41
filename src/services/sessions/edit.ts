import type { Backend, Rows } from '../../db/backend.js';
import type { MediaSession } from '../../db/types.js';
import { InvalidSetting } from '../../errors.js';
import type { CaptionsFile } from '../captions/captionsFile.js';
import { resolveCaptions, type CaptionOrigin } from '../captions/resolve.js';
import { loadSession, type LoadedItem, type LoadedSession } from './load.js';
import { orderCandidates, type OrderName } from './order.js';
import { checkGivenSettings, perGroupTooBig, type ScheduleSettings } from './settings.js';
import type { Warning } from '../../warning.js';
import type { LookInput } from '../render/look.js';
import type { PostSettings } from './post.js';
import { applyLookChange, editableLookOf } from './sessionLook.js';

export interface SessionEdit {
  /** Item number as `slides session show` lists it now (from 1) → its caption; `''` removes it. */
  captions?: Map<number, string>;
  captionsFile?: CaptionsFile;
  captionTemplate?: string;
  order?: OrderName;
  settings?: Partial<ScheduleSettings>;
  /** Look and post settings to set over the stored ones (music and font files are stored in the project). */
  look?: LookInput;
  post?: PostSettings;
}

export interface EditResult extends LoadedSession {
  captionsChanged: number;
  reordered: boolean;
  /** Whether the look or the post settings changed. */
  lookChanged: boolean;
  /** Music and font files uploaded by this edit. */
  uploaded: string[];
  warnings: Warning[];
}

/**
 * Changes a session's captions, order and schedule. Captions follow the same precedence as
 * creation (explicit > captions file > template) over the captions the items have now; a
 * captions file's lines follow the new order. All of it is one transaction (slides_edit_session,
 * 0004), which also ends the session's back-off: an edit is the creator's fix for what failed.
 */
export async function editSession(target: Rows | Backend, given: string, edit: SessionEdit, random?: () => number): Promise<EditResult> {
  const rows = 'rows' in target ? target.rows : target;
  const loaded = await loadSession(rows, given);
  const { session } = loaded;
  const count = loaded.items.length;
  const patch = sessionPatch(session, edit.settings ?? {}, count);

  const explicit = new Map<LoadedItem, string>();
  for (const [n, caption] of edit.captions ?? []) {
    const item = loaded.items[n - 1];
    if (!Number.isInteger(n) || !item) {
      throw new InvalidSetting('caption', n, `the session has ${count} item(s), numbered 1 to ${count}`, {
        hint: `slides session show ${session.id.slice(0, 8)} lists them`,
      });
    }
    explicit.set(item, caption);
  }

  const ordered = edit.order
    ? orderCandidates(
        loaded.items.map((l) => ({ l, name: l.name, date: new Date(l.file?.uploaded_at ?? 0) })),
        edit.order,
        random,
      ).map((x) => x.l)
    : loaded.items;
  const { captions, warnings } = resolveCaptions(
    ordered.map((l) => ({
      name: l.name,
      sourceFileId: l.item.source_file_id ?? l.item.id,
      explicit: explicit.get(l),
      current: l.item.generated_caption,
    })),
    { file: edit.captionsFile, template: edit.captionTemplate },
  );

  let captionsChanged = 0;
  let reordered = false;
  const changes: Array<{ id: string; position?: number; generated_caption?: string | null }> = [];
  for (const [position, l] of ordered.entries()) {
    const resolved = captions[position] as { caption: string | null; origin: CaptionOrigin };
    const caption = resolved.caption === '' ? null : resolved.caption;
    const change: (typeof changes)[number] = { id: l.item.id };
    if (l.item.position !== position) change.position = position;
    if (caption !== l.item.generated_caption) change.generated_caption = caption;
    if (Object.keys(change).length === 1) continue;
    changes.push(change);
    if (change.position !== undefined) reordered = true;
    if ('generated_caption' in change) captionsChanged += 1;
  }
  const looks = await lookPatch(target, session, edit);
  await rows.rpc<MediaSession>('slides_edit_session', { p_session_id: session.id, p_items: changes, p_settings: { ...patch, ...looks.patch } });
  return {
    ...(await loadSession(rows, session.id)),
    captionsChanged,
    reordered,
    lookChanged: Object.keys(looks.patch).length > 0,
    uploaded: looks.uploaded,
    warnings: [...warnings, ...looks.warnings],
  };
}

/** The render_settings and post_settings to write, when the edit gives any. */
async function lookPatch(
  target: Rows | Backend,
  session: MediaSession,
  edit: SessionEdit,
): Promise<{ patch: Partial<Pick<MediaSession, 'render_settings' | 'post_settings'>>; uploaded: string[]; warnings: Warning[] }> {
  const given = (o: object | undefined) => Object.values(o ?? {}).some((v) => v !== undefined);
  if (!given(edit.look) && !given(edit.post)) return { patch: {}, uploaded: [], warnings: [] };
  if (!('rows' in target)) throw new Error('editing the look needs the backend, to store its files');
  const current = editableLookOf(session);
  const next = await applyLookChange(target, { look: edit.look, post: edit.post }, current);
  const dropped = current.dropped.map(
    (field): Warning => ({ text: `dropped the stored setting ${field}: this version of slides does not take what session ${session.id.slice(0, 8)} had` }),
  );
  return {
    patch: { render_settings: next.look as Record<string, unknown>, post_settings: next.post as Record<string, unknown> },
    uploaded: next.uploaded,
    warnings: [...dropped, ...next.warnings],
  };
}

function sessionPatch(
  session: MediaSession,
  s: Partial<ScheduleSettings>,
  count: number,
): Partial<Pick<MediaSession, 'frequency' | 'max_per_day' | 'per_group'>> {
  checkGivenSettings(s);
  const frequency = s.frequency ?? session.frequency;
  const maxPerDay = s.maxPerDay ?? session.max_per_day;
  if (frequency !== null && maxPerDay !== null && maxPerDay < frequency) {
    throw s.frequency !== undefined
      ? new InvalidSetting('frequency', frequency, `would be above the session's max per day of ${maxPerDay}: the cap would stop scheduled groups`, {
          pass: `${maxPerDay} or fewer, or raise the max per day too`,
        })
      : new InvalidSetting('maxPerDay', maxPerDay, `would be below the session's frequency of ${frequency} a day: the cap would stop scheduled groups`, {
          pass: `${frequency} or more, or lower the frequency too`,
        });
  }
  if (s.perGroup !== undefined && s.perGroup > count) throw perGroupTooBig(s.perGroup, count);
  const patch: Partial<Pick<MediaSession, 'frequency' | 'max_per_day' | 'per_group'>> = {};
  if (s.frequency !== undefined && s.frequency !== session.frequency) patch.frequency = s.frequency;
  if (s.maxPerDay !== undefined && s.maxPerDay !== session.max_per_day) patch.max_per_day = s.maxPerDay;
  if (s.perGroup !== undefined && s.perGroup !== session.per_group) patch.per_group = s.perGroup;
  return patch;
}
