/** What separates the alternatives of one caption: `morning walk | sunrise run | first light`. */
export const ALTERNATIVE_SEPARATOR = ' | ';

export function captionAlternatives(caption: string): string[] {
  return caption.split(ALTERNATIVE_SEPARATOR);
}

/**
 * The alternative a slide group shows: group 1 takes the first, group 2 the second, and so on
 * round the list, so consecutive scheduled groups differ and a re-render of a group is identical.
 */
export function pickCaption(caption: string, groupNumber: number): string;
export function pickCaption(caption: string | null, groupNumber: number): string | null;
export function pickCaption(caption: string | null, groupNumber: number): string | null {
  if (caption === null) return null;
  const alternatives = captionAlternatives(caption);
  const n = alternatives.length;
  const index = (((Math.trunc(groupNumber) - 1) % n) + n) % n;
  return alternatives[index] ?? caption;
}
