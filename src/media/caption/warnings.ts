/** What went wrong drawing a caption, as data: the command layer words it (and names its flags). */
export type CaptionWarning =
  /** Characters no face in the stack nor Twemoji draws: they were left out. */
  | { kind: 'missingGlyphs'; chars: string[] }
  /** The caption did not fit in `maxLines` even at the floor size: it was cut after `lastWords`. */
  | { kind: 'captionCut'; maxLines: number; lastWords: string };

/** One line for a caption warning, naming no flag, for the string warnings render results carry. */
export function captionWarningText(warning: CaptionWarning): string {
  switch (warning.kind) {
    case 'missingGlyphs':
      return `caption characters no font covers were left out: ${warning.chars.join(' ')} (choose a font file that has them)`;
    case 'captionCut':
      return `caption too long for ${warning.maxLines} lines: cut after "${warning.lastWords}…"`;
  }
}
