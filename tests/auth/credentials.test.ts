import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { credentialsFile, credentialStore } from '../../src/auth/credentials.js';
import type { Keychain } from '../../src/auth/keychain.js';
import { sessionFromEnv, toStoredSession, type StoredSession } from '../../src/auth/session.js';

const session: StoredSession = { access_token: 'acc.ess.tok', refresh_token: 'ref', expires_at: 2_000_000_000, user: { id: 'u1', email: 'a@b.c' } };

function memoryKeychain(): Keychain & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, get: (a) => items.get(a) ?? null, set: (a, s) => void items.set(a, s), delete: (a) => void items.delete(a) };
}

function store(keychain: Keychain) {
  const configDir = mkdtempSync(join(tmpdir(), 'slides-cred-'));
  const warnings: string[] = [];
  return { configDir, warnings, store: credentialStore({ configDir, account: 'abcd', keychain, warn: (l) => warnings.push(l) }) };
}

describe('credential store', () => {
  test('a working keychain keeps the session under the project ref and no file is written', () => {
    const keychain = memoryKeychain();
    const s = store(keychain);
    expect(s.store.save(session)).toBe('keychain');
    expect(JSON.parse(keychain.items.get('abcd') ?? '')).toEqual(session);
    expect(() => statSync(credentialsFile(s.configDir))).toThrow();
    expect(s.store.load()).toEqual(session);
    expect(s.store.remove()).toBe(true);
    expect(s.store.load()).toBeNull();
  });

  for (const [what, keychain] of [
    ['throws (D-Bus, AccessDenied)', { get: () => { throw new Error('AccessDenied'); }, set: () => { throw new Error('D-Bus'); }, delete: () => { throw new Error('x'); } }],
    ['keeps nothing (reads back null)', { get: () => null, set: () => {}, delete: () => {} }],
  ] as Array<[string, Keychain]>) {
    test(`a keychain that ${what} falls back to a 0600 file, warning once`, () => {
      const s = store(keychain);
      expect(s.store.save(session)).toBe('file');
      expect(s.store.save({ ...session, access_token: 'new.er.tok' })).toBe('file');
      expect(s.warnings).toHaveLength(1);
      expect(s.warnings[0]).toContain(credentialsFile(s.configDir));
      expect(statSync(credentialsFile(s.configDir)).mode & 0o777).toBe(0o600);
      expect(s.store.load()?.access_token).toBe('new.er.tok');
      expect(s.store.remove()).toBe(true);
      expect(s.store.load()).toBeNull();
    });
  }

  test('only the named fields of an Auth session are kept: never the provider tokens', () => {
    const stored = toStoredSession({
      access_token: 'a',
      refresh_token: 'r',
      expires_in: 3600,
      expires_at: 123,
      user: { id: 'u', email: 'e@x' },
      provider_token: 'gho_secret',
      provider_refresh_token: 'ghr_secret',
    } as Parameters<typeof toStoredSession>[0]);
    expect(stored).toEqual({ access_token: 'a', refresh_token: 'r', expires_at: 123, user: { id: 'u', email: 'e@x' } });
    const s = store(memoryKeychain());
    s.store.save(stored);
    expect(JSON.stringify(s.store.load())).not.toContain('gho_');
  });

  test('SLIDES_ACCESS_TOKEN gives a session whose user and expiry come from the token', () => {
    const claims = Buffer.from(JSON.stringify({ sub: 'u9', email: 'ci@x', exp: 1_900_000_000 })).toString('base64url');
    const env = { SLIDES_ACCESS_TOKEN: `h.${claims}.s`, SLIDES_REFRESH_TOKEN: 'r9' };
    expect(sessionFromEnv(env)).toEqual({ access_token: env.SLIDES_ACCESS_TOKEN, refresh_token: 'r9', expires_at: 1_900_000_000, user: { id: 'u9', email: 'ci@x' } });
    expect(sessionFromEnv({})).toBeNull();
  });
});
