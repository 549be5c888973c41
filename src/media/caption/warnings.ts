import type { Warning } from '../../warning.js';

/** What went wrong drawing a caption, as data: the command layer words it (and names its flags). */
export type CaptionWarning =
  /** Characters no face in the stack nor Twemoji draws: they were left out. */
  | { kind: 'missingGlyphs'; chars: string[] }
  /** The caption did not fit in `maxLines` even at the floor size: it was cut after `lastWords`. */
  | { kind: 'captionCut'; maxLines: number; lastWords: string };

/** A caption warning as the render results carry it: worded, its font setting named by field. */
export function captionWarning(warning: CaptionWarning): Warning {
  switch (warning.kind) {
    case 'missingGlyphs':
      return {
        text: `caption characters no font covers were left out: ${warning.chars.join(' ')}`,
        fix: { verb: 'give', field: 'font', rest: 'FILE with them' },
      };
    case 'captionCut':
      return { text: `caption too long for ${warning.maxLines} lines: cut after "${warning.lastWords}…"` };
  }
}
