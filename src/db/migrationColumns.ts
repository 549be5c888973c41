import type { Migration } from './migrations.js';

/**
 * The columns of every public table as the migrations leave them, read from their SQL: the
 * CREATE TABLE column lists, then each ALTER TABLE's ADD, DROP and RENAME COLUMN and RENAME TO,
 * in migration order. Function bodies (dollar-quoted), comments and string literals are skipped,
 * so only the DDL itself counts. The schema lives only in supabase/migrations; this reads it.
 */
export function migrationColumns(migrations: readonly Pick<Migration, 'sql'>[]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const { sql } of migrations) {
    for (const statement of statements(sql)) applyStatement(tables, statement);
  }
  return tables;
}

const IDENT = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;
const TABLE_NAME = String.raw`(?:(?:public\.)?(${IDENT}))`;
const CREATE = new RegExp(String.raw`^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT}\.)?(${IDENT})\s*\(([\s\S]*)\)[^)]*$`, 'i');
const ALTER = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${TABLE_NAME}\s+([\s\S]*)$`, 'i');
const CONSTRAINT_START = /^(CONSTRAINT|PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY|EXCLUDE|LIKE)\b/i;

function applyStatement(tables: Map<string, string[]>, statement: string): void {
  const created = CREATE.exec(statement);
  if (created) {
    if (created[1] && created[1].toLowerCase() !== 'public.') return;
    const columns = topLevelParts(created[3] as string)
      .filter((part) => !CONSTRAINT_START.test(part))
      .map((part) => unquote(part.split(/\s+/)[0] as string));
    tables.set(unquote(created[2] as string), columns);
    return;
  }
  const altered = ALTER.exec(statement);
  if (!altered) return;
  const table = unquote(altered[1] as string);
  const columns = tables.get(table);
  if (!columns) return;
  const renamedTable = new RegExp(String.raw`^RENAME\s+TO\s+(${IDENT})$`, 'i').exec(altered[2] as string);
  if (renamedTable) {
    tables.delete(table);
    tables.set(unquote(renamedTable[1] as string), columns);
    return;
  }
  for (const action of topLevelParts(altered[2] as string)) {
    const add = new RegExp(String.raw`^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})`, 'i').exec(action);
    if (add && !CONSTRAINT_START.test(action.replace(/^ADD\s+/i, ''))) {
      const name = unquote(add[1] as string);
      if (!columns.includes(name)) columns.push(name);
      continue;
    }
    const drop = new RegExp(String.raw`^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(${IDENT})`, 'i').exec(action);
    if (drop && !/^DROP\s+CONSTRAINT\b/i.test(action)) {
      const at = columns.indexOf(unquote(drop[1] as string));
      if (at >= 0) columns.splice(at, 1);
      continue;
    }
    const rename = new RegExp(String.raw`^RENAME\s+(?:COLUMN\s+)?(${IDENT})\s+TO\s+(${IDENT})$`, 'i').exec(action);
    if (rename && !/^RENAME\s+CONSTRAINT\b/i.test(action)) {
      const at = columns.indexOf(unquote(rename[1] as string));
      if (at >= 0) columns[at] = unquote(rename[2] as string);
    }
  }
}

/** The SQL's statements, trimmed, without comments, string contents or dollar-quoted bodies. */
function statements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const dollar = /^\$([A-Za-z_]\w*)?\$/.exec(rest);
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (dollar) {
      const end = sql.indexOf(dollar[0], i + dollar[0].length);
      current += "''";
      i = end < 0 ? sql.length : end + dollar[0].length;
    } else if (rest.startsWith("'")) {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      current += "''";
      i = j + 1;
    } else if (rest.startsWith(';')) {
      out.push(current.trim());
      current = '';
      i += 1;
    } else {
      current += sql[i];
      i += 1;
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out.map((s) => s.replace(/\s+/g, ' '));
}

/** `a, b (c, d), e` → the parts between the commas outside parentheses. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase();
}
