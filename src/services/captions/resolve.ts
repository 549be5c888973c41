import type { Warning } from '../../warning.js';
import type { CaptionsFile } from './captionsFile.js';
import { fillTemplate } from './template.js';

/** Where an item's caption came from, strongest first. */
export type CaptionOrigin = 'explicit' | 'sidecar' | 'file' | 'template' | 'current' | 'none';

export interface CaptionSubject {
  /** The file name captions files and templates refer to (`beach.jpg`). */
  name: string;
  sourceFileId: string;
  /** A caption given for this item alone (typed in, or `--caption N=TEXT`). */
  explicit?: string | null;
  /** The text of `beach.jpg.txt` / `beach.txt` beside the source, read when it was selected from a folder. */
  sidecar?: string | null;
  /** The caption the item has now, kept when nothing stronger applies (editing a session). */
  current?: string | null;
}

export interface CaptionSources {
  file?: CaptionsFile;
  template?: string;
}

export interface ResolvedCaption {
  caption: string | null;
  origin: CaptionOrigin;
}

/**
 * Each item's caption by precedence: explicit > sidecar > captions file > template > current.
 * Items are in session order: line N of a lines file captions the Nth item.
 */
export function resolveCaptions(subjects: CaptionSubject[], sources: CaptionSources): { captions: ResolvedCaption[]; warnings: Warning[] } {
  const total = subjects.length;
  const captions = subjects.map((s, i): ResolvedCaption => {
    if (s.explicit != null) return { caption: s.explicit, origin: 'explicit' };
    if (s.sidecar != null) return { caption: s.sidecar, origin: 'sidecar' };
    const fromFile = sources.file && captionFromFile(sources.file, s, i);
    if (fromFile != null) return { caption: fromFile, origin: 'file' };
    if (sources.template !== undefined) {
      return { caption: fillTemplate(sources.template, { n: i + 1, total, file: s.name }), origin: 'template' };
    }
    if (s.current != null) return { caption: s.current, origin: 'current' };
    return { caption: null, origin: 'none' };
  });
  return { captions, warnings: sources.file ? fileWarnings(sources.file, subjects, captions, sources.template) : [] };
}

function captionFromFile(file: CaptionsFile, s: CaptionSubject, index: number): string | null | undefined {
  if (file.kind === 'lines') return file.lines[index];
  return file.byName.get(s.name) ?? file.byName.get(s.sourceFileId);
}

function fileWarnings(file: CaptionsFile, subjects: CaptionSubject[], captions: ResolvedCaption[], template: string | undefined): Warning[] {
  const warnings: Warning[] = [];
  const about = { field: 'captions', value: file.file };
  const total = subjects.length;
  if (file.kind === 'lines') {
    const count = file.lines.length;
    if (count < total) {
      const span = count + 1 === total ? `item ${total} is` : `items ${count + 1}–${total} are`;
      const rest = fillers(captions.slice(count), template);
      warnings.push({ ...rest, about, text: `has ${plural(count, 'line')} for ${plural(total, 'item')}: ${span} ${rest.text}` });
    } else if (count > total) {
      warnings.push({ about, text: `has ${plural(count, 'line')} for ${plural(total, 'item')}: the last ${count - total} are not used` });
    }
    return warnings;
  }
  const known = new Set(subjects.flatMap((s) => [s.name, s.sourceFileId]));
  const unknown = [...file.byName.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    warnings.push({ about, text: `names ${plural(unknown.length, 'file')} not in this session: ${sample(unknown)}` });
  }
  const missing = subjects.flatMap((s, i) => (captionFromFile(file, s, i) == null ? [{ s, c: captions[i] as ResolvedCaption }] : []));
  if (missing.length > 0) {
    const verb = missing.length === 1 ? 'it is' : 'they are';
    const rest = fillers(
      missing.map(({ c }) => c),
      template,
    );
    warnings.push({ ...rest, about, text: `has no caption for ${sample(missing.map(({ s }) => s.name))}: ${verb} ${rest.text}` });
  }
  return warnings;
}

/** What captions the items a captions file left out, after "is"/"are"; with what would caption them when nothing does. */
function fillers(rest: ResolvedCaption[], template: string | undefined): Pick<Warning, 'text' | 'fix'> {
  const origins = new Set(rest.map((c) => c.origin));
  if (origins.size === 1 && origins.has('none')) {
    return { text: 'left without a caption', fix: { verb: 'add', field: 'captionTemplate', rest: 'to fill them' } };
  }
  if (origins.size === 1 && origins.has('current')) return { text: 'left with their current caption' };
  const words: Record<CaptionOrigin, string> = {
    explicit: 'a caption given for the item',
    sidecar: 'the caption file beside the source',
    file: 'the captions file',
    template: `the template ${JSON.stringify(template ?? '')}`,
    current: 'the caption the item had',
    none: 'nothing',
  };
  const strongestFirst = (Object.keys(words) as CaptionOrigin[]).filter((o) => origins.has(o));
  return { text: `captioned by ${strongestFirst.map((o) => words[o]).join(' or ')}` };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function sample(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
