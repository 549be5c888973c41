import { describe, expect, test } from 'vitest';
import { decryptToken, encryptToken, newTokenKey, parseSealed, tokenKeyFromBase64, tokenKeyToBase64 } from '../../src/tiktok/crypto/tokenCipher.js';

const CTX = 'tiktok_auth.access_token:user-1';

describe('token cipher (AES-256-GCM)', () => {
  test('a sealed value names its key, uses a fresh IV each time and opens only with its key and context', () => {
    const key = newTokenKey();
    const a = encryptToken(key, 'act.secret-token', CTX);
    const b = encryptToken(key, 'act.secret-token', CTX);
    expect(a).not.toBe(b);
    const sealed = parseSealed(a);
    expect(sealed?.keyId).toBe(key.id);
    expect(sealed?.iv).toHaveLength(12);
    expect(parseSealed(b)?.iv.equals(sealed?.iv as Buffer)).toBe(false);
    expect(decryptToken(key, sealed!, CTX)).toBe('act.secret-token');
    expect(() => decryptToken(newTokenKey(), sealed!, CTX)).toThrow();
    expect(() => decryptToken(key, sealed!, 'tiktok_auth.refresh_token:user-1')).toThrow();
    const flipped = { ...sealed!, body: Buffer.from(sealed!.body.map((x, i) => (i === 0 ? x ^ 1 : x))) };
    expect(() => decryptToken(key, flipped, CTX)).toThrow();
  });

  test('keys travel as base64 of exactly 32 bytes, and the id follows the key', () => {
    const key = newTokenKey();
    const back = tokenKeyFromBase64(`  ${tokenKeyToBase64(key)}\n`);
    expect(back?.id).toBe(key.id);
    expect(back?.bytes.equals(key.bytes)).toBe(true);
    expect(tokenKeyFromBase64(Buffer.alloc(16).toString('base64'))).toBeNull();
    expect(tokenKeyFromBase64('not a key!')).toBeNull();
    expect(parseSealed('act.plaintext')).toBeNull();
  });
});
