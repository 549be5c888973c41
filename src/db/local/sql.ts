import type { InsertOptions, SelectQuery, Where } from '../backend.js';

/** Rows queries as parameterised SQL: the local adapter's half of the PostgREST model. */
export interface Statement {
  text: string;
  params: unknown[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

export function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a column or table name: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

const OPS = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** jsonb and array parameters are sent as JSON text; everything else as is. */
function param(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return JSON.stringify(value);
  }
  return value;
}

function whereClause(where: Where<object> | undefined, params: unknown[]): string {
  const parts: string[] = [];
  for (const [column, condition] of Object.entries(where ?? {})) {
    if (condition === undefined) continue;
    const col = ident(column);
    const isOp = condition !== null && typeof condition === 'object' && !(condition instanceof Date) && !Array.isArray(condition);
    if (!isOp) {
      if (condition === null) parts.push(`${col} IS NULL`);
      else parts.push(`${col} = $${params.push(param(condition))}`);
      continue;
    }
    const [op, value] = Object.entries(condition as Record<string, unknown>)[0] ?? [];
    if (op === 'is') {
      parts.push(`${col} IS ${value === null ? 'NULL' : value ? 'TRUE' : 'FALSE'}`);
    } else if (op === 'in') {
      const list = value as unknown[];
      if (list.length === 0) parts.push('FALSE');
      else parts.push(`${col} IN (${list.map((v) => `$${params.push(param(v))}`).join(', ')})`);
    } else if (op !== undefined && op in OPS) {
      parts.push(`${col} ${OPS[op as keyof typeof OPS]} $${params.push(param(value))}`);
    } else {
      throw new Error(`unknown operator ${String(op)} on ${column}`);
    }
  }
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

export function selectSql(table: string, query: SelectQuery<object> = {}): Statement {
  const params: unknown[] = [];
  let text = `SELECT * FROM ${ident(table)}${whereClause(query.where, params)}`;
  if (query.order?.length) {
    text += ` ORDER BY ${query.order.map((o) => `${ident(o.column)} ${o.ascending === false ? 'DESC' : 'ASC'}`).join(', ')}`;
  }
  if (query.limit !== undefined) text += ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
  return { text, params };
}

export function insertSql(table: string, rows: object[], options: InsertOptions<object> = {}): Statement {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => (r as Record<string, unknown>)[k] !== undefined)))];
  const params: unknown[] = [];
  const values = rows.map(
    (row) =>
      `(${columns
        .map((c) => {
          const v = (row as Record<string, unknown>)[c];
          return v === undefined ? 'DEFAULT' : `$${params.push(param(v))}`;
        })
        .join(', ')})`,
  );
  const cols = columns.length ? `(${columns.map(ident).join(', ')})` : '';
  const body = columns.length ? `VALUES ${values.join(', ')}` : 'DEFAULT VALUES';
  const conflict = options.onConflictIgnore?.length
    ? ` ON CONFLICT (${options.onConflictIgnore.map(ident).join(', ')}) DO NOTHING`
    : '';
  return { text: `INSERT INTO ${ident(table)} ${cols} ${body}${conflict} RETURNING *`, params };
}

export function updateSql(table: string, patch: object, where: Where<object>): Statement {
  const params: unknown[] = [];
  const sets = Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${ident(k)} = $${params.push(param(v))}`);
  if (sets.length === 0) throw new Error(`update of ${table} with nothing to set`);
  return { text: `UPDATE ${ident(table)} SET ${sets.join(', ')}${whereClause(where, params)} RETURNING *`, params };
}

export function deleteSql(table: string, where: Where<object>): Statement {
  const params: unknown[] = [];
  const clause = whereClause(where, params);
  if (!clause) throw new Error(`delete from ${table} without a condition`);
  return { text: `DELETE FROM ${ident(table)}${clause} RETURNING *`, params };
}

export function rpcSql(fn: string, args: Record<string, unknown>): Statement {
  const params: unknown[] = [];
  const named = Object.entries(args).map(([k, v]) => `${ident(k)} => $${params.push(param(v))}`);
  return { text: `SELECT * FROM ${ident(fn)}(${named.join(', ')})`, params };
}
