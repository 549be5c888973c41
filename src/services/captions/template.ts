import { InvalidSetting } from '../../errors.js';

/** What a `--caption-template` may say: `{n}` position from 1, `{total}` items, `{name}` file name without extension, `{file}` with it. */
export const TEMPLATE_FIELDS = ['n', 'total', 'name', 'file'] as const;
type Field = (typeof TEMPLATE_FIELDS)[number];

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g;

/** Null when the template is usable, else why not (for a prompt's validate). */
export function templateProblem(template: string): string | null {
  if (template.trim() === '') return 'the template is empty';
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name as string)) {
      return `unknown placeholder {${name}}; use ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`;
    }
  }
  return null;
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
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name as Field] ?? whole);
}
