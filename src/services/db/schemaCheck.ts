import type { Backend, Bucket, TableName } from '../../db/backend.js';
import { migrationColumns } from '../../db/migrationColumns.js';
import { listMigrations, type Migration } from '../../db/migrations.js';
import { messageOf } from '../../errors.js';

export const REQUIRED_BUCKETS: Bucket[] = ['Sources', 'Exports'];

const NO_SESSION = '00000000-0000-0000-0000-000000000000';

/** Functions called with rpc, each with arguments that reach it and change nothing. */
export const REQUIRED_FUNCTIONS: Array<{ name: string; probe: Record<string, unknown> }> = [
  { name: 'slides_activate_session', probe: { p_session_id: NO_SESSION } },
  {
    name: 'slides_create_session',
    probe: { p_frequency: 0, p_max_per_day: null, p_per_group: null, p_items: [], p_replace_active: false },
  },
  {
    name: 'slides_claim_group',
    probe: {
      p_session_id: NO_SESSION,
      p_seen_last_run_at: null,
      p_seen_created_per_day: 0,
      p_created_per_day: 1,
      p_now: new Date(0).toISOString(),
      p_require_active: true,
    },
  },
  {
    name: 'slides_save_tiktok_account',
    probe: {
      p_open_id: null,
      p_auth_data: null,
      p_access_token: null,
      p_refresh_token: null,
      p_expires_at: null,
      p_refresh_expires_at: null,
      p_scope: null,
    },
  },
  { name: 'slides_forget_tiktok_account', probe: { p_open_id: '' } },
  {
    name: 'slides_finish_group',
    probe: { p_group_id: NO_SESSION, p_slide_count: 0, p_video_path: null, p_processed_paths: {}, p_exported_video_path: null },
  },
  {
    name: 'slides_fail_group',
    probe: {
      p_group_id: NO_SESSION,
      p_reason: '',
      p_now: new Date(0).toISOString(),
      p_day_start: new Date(0).toISOString(),
      p_day_end: new Date(0).toISOString(),
    },
  },
  { name: 'slides_edit_session', probe: { p_session_id: NO_SESSION, p_items: [], p_settings: {} } },
  { name: 'slides_remove_source_files', probe: { p_ids: [], p_force: false } },
];

export interface SchemaCheck {
  item: string;
  ok: boolean;
  detail?: string;
}

function isMissing(error: unknown): boolean {
  const text = messageOf(error);
  const code = (error as { sqlState?: string }).sqlState;
  return (
    code === '42P01' || code === '42703' || code === '42883' || code === 'PGRST202' || code === 'PGRST204' ||
    code === 'PGRST205' || /does not exist|not found|could not find/i.test(text)
  );
}

async function checkTable(backend: Backend, table: TableName, columns: string[]): Promise<SchemaCheck[]> {
  const allNull = (cols: string[]) => Object.fromEntries(cols.map((c) => [c, { is: null }]));
  try {
    await backend.rows.select(table, { where: allNull(columns) as never, limit: 0 });
    return [{ item: `table ${table}`, ok: true }];
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  try {
    await backend.rows.select(table, { limit: 0 });
  } catch (error) {
    if (!isMissing(error)) throw error;
    return [{ item: `table ${table}`, ok: false, detail: 'missing' }];
  }
  const results: SchemaCheck[] = [];
  for (const column of columns) {
    try {
      await backend.rows.select(table, { where: allNull([column]) as never, limit: 0 });
    } catch (error) {
      if (!isMissing(error)) throw error;
      results.push({ item: `column ${table}.${column}`, ok: false, detail: 'missing' });
    }
  }
  return [{ item: `table ${table}`, ok: results.length === 0, detail: results.length ? 'columns missing' : undefined }, ...results];
}

async function checkBucket(backend: Backend, bucket: Bucket): Promise<SchemaCheck> {
  try {
    await backend.storage.list(bucket, `${backend.identity.userId}/`);
    return { item: `bucket ${bucket}`, ok: true };
  } catch (error) {
    if (!isMissing(error)) throw error;
    return { item: `bucket ${bucket}`, ok: false, detail: 'missing' };
  }
}

/** A function is there when its probe gets any answer but "no such function" (the probes refuse or do nothing). */
async function checkFunction(backend: Backend, fn: (typeof REQUIRED_FUNCTIONS)[number]): Promise<SchemaCheck> {
  try {
    await backend.rows.rpc(fn.name, fn.probe);
  } catch (error) {
    if (isMissing(error)) return { item: `function ${fn.name}`, ok: false, detail: 'missing' };
  }
  return { item: `function ${fn.name}`, ok: true };
}

/**
 * Checks, as the signed-in user, that every table and column the migrations create, and every
 * bucket and function the CLI uses, is there.
 */
export async function checkSchema(backend: Backend, migrations: readonly Migration[] = listMigrations()): Promise<SchemaCheck[]> {
  const results: SchemaCheck[] = [];
  for (const [table, columns] of migrationColumns(migrations)) {
    results.push(...(await checkTable(backend, table as TableName, columns)));
  }
  for (const bucket of REQUIRED_BUCKETS) results.push(await checkBucket(backend, bucket));
  for (const fn of REQUIRED_FUNCTIONS) results.push(await checkFunction(backend, fn));
  return results;
}
