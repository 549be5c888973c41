import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSupabaseStub, type SupabaseStub } from './stub.js';

let stub: SupabaseStub;
let token: string;
beforeAll(async () => {
  stub = await startSupabaseStub();
  token = stub.session(await stub.createUser()).access_token;
});
afterAll(() => stub.close());

const rest = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
  fetch(`${stub.url}/rest/v1/${path}`, {
    method: init.method ?? 'GET',
    headers: { apikey: stub.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

const WRITE = { prefer: 'return=representation,missing=default' };
let n = 0;
const sha = () => (n++).toString(16).padStart(64, '0');

describe("the stub's PostgREST", () => {
  test('a read answers at most max-rows rows and says which in Content-Range; count=exact adds the total and 206', async () => {
    const rows = Array.from({ length: 1005 }, (_, i) => ({ file_path: `cap/${i}`, file_type: 'image', sha256: sha() }));
    expect((await rest('source_files', { method: 'POST', headers: WRITE, body: rows })).status).toBe(201);
    const capped = await rest('source_files?select=*&limit=5000');
    expect(((await capped.json()) as unknown[]).length).toBe(1000);
    expect(capped.headers.get('content-range')).toBe('0-999/*');
    const counted = await rest('source_files?select=id', { headers: { range: '1000-1999', prefer: 'count=exact' } });
    expect(counted.status).toBe(206);
    expect(counted.headers.get('content-range')).toBe('1000-1004/1005');
    expect(((await counted.json()) as unknown[]).length).toBe(5);
  });

  test('filters: in with quoted values, is, not., gte; order with nulls; an unknown operator is a 400', async () => {
    const made = (await (
      await rest('source_files?columns="file_path","file_type","sha256","size_bytes"', {
        method: 'POST',
        headers: WRITE,
        body: [
          { file_path: 'f/a,b', file_type: 'image', sha256: sha(), size_bytes: 5 },
          { file_path: 'f/"c"', file_type: 'video', sha256: sha() },
        ],
      })
    ).json()) as Array<{ id: string; size_bytes: number | null }>;
    const ids = `id=in.(${made.map((r) => r.id).join(',')})`;
    const byPath = (await (await rest(`source_files?file_path=in.("f/a,b","f/\\"c\\"")&order=size_bytes.desc.nullslast`)).json()) as Array<{ size_bytes: number | null }>;
    expect(byPath.map((r) => r.size_bytes)).toEqual([5, null]);
    expect(((await (await rest(`source_files?${ids}&size_bytes=is.null`)).json()) as unknown[]).length).toBe(1);
    expect(((await (await rest(`source_files?${ids}&file_type=not.eq.image`)).json()) as unknown[]).length).toBe(1);
    expect(((await (await rest(`source_files?${ids}&size_bytes=gte.5`)).json()) as unknown[]).length).toBe(1);
    expect((await rest(`source_files?${ids}&size_bytes=like.5`)).status).toBe(400);
  });

  test('a batch whose objects differ in keys needs columns=, as PostgREST requires', async () => {
    const res = await rest('source_files', { method: 'POST', headers: WRITE, body: [{ file_path: 'k1', file_type: 'image', sha256: sha() }, { file_path: 'k2', sha256: sha() }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('PGRST102');
  });

  test('an insert without missing=default leaves absent columns null, as PostgREST does', async () => {
    const [row] = (await (
      await rest('media_sessions?columns="is_active","frequency"', { method: 'POST', headers: { prefer: 'return=representation' }, body: [{ is_active: false }] })
    ).json()) as Array<{ frequency: number | null; started_at: string | null }>;
    expect(row?.frequency).toBeNull();
    expect(stub.violations.splice(0)).toEqual(['insert into media_sessions without Prefer missing=default']);
  });

  test('rpc: named arguments typed by the function, a composite result as one object, an unknown function a 404', async () => {
    const res = await rest('rpc/slides_create_session', {
      method: 'POST',
      body: { p_frequency: 2, p_max_per_day: 3, p_per_group: 1, p_items: [], p_replace_active: true },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ frequency: 2, max_per_day: 3, is_active: true });
    const missing = await rest('rpc/no_such_function', { method: 'POST', body: {} });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('PGRST202');
  });

  test('a unique violation is a 409 carrying the SQLSTATE', async () => {
    const row = { file_path: 'dup', file_type: 'image', sha256: sha() };
    await rest('source_files', { method: 'POST', headers: WRITE, body: [row] });
    const again = await rest('source_files', { method: 'POST', headers: WRITE, body: [row] });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('23505');
  });
});
