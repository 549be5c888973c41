import { InvalidSetting } from '../../errors.js';

/** What a `--caption-template` may say: `{n}` position from 1, `{total}` items, `{name}` file name without extension, `{file}` with it. */
export const TEMPLATE_FIELDS = ['n', 'total', 'name', 'file'] as const;
type Field = (typeof TEMPLATE_FIELDS)[number];

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g;

/** The first `{name}` in a template that is not one of `fields`, or null. */
export function unknownPlaceholder(template: string, fields: readonly string[]): string | null {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!fields.includes(name as string)) return name as string;
  }
  return null;
}

/** Every `{name}` with a value replaced by it; others stay as written. */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Null when the template is usable, else why not (for a prompt's validate). */
export function templateProblem(template: string): string | null {
  if (template.trim() === '') return 'the template is empty';
  const unknown = unknownPlaceholder(template, TEMPLATE_FIELDS);
  return unknown === null ? null : `unknown placeholder {${unknown}}; use ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`;
}

export function checkTemplate(template: string): void {
  const problem = templateProblem(template);
  if (problem) throw new InvalidSetting('captionTemplate', JSON.stringify(template), problem);
}

export function fillTemplate(template: string, item: { n: number; total: number; file: string }): string {
  const dot = item.file.lastIndexOf('.');
  const values: Record<Field, string> = {
    n: String(item.n),
    total: String(item.total),
    name: dot > 0 ? item.file.slice(0, dot) : item.file,
    file: item.file,
  };
  return fillPlaceholders(template, values);
}
