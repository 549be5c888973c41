import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A 32-byte AES-256 key and its id (a fingerprint, so the id names the key without revealing it). */
export interface TokenKey {
  id: string;
  bytes: Buffer;
}

const ENVELOPE = 'tk1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function tokenKey(bytes: Buffer): TokenKey {
  if (bytes.length !== KEY_BYTES) throw new RangeError(`a token key is ${KEY_BYTES} bytes, not ${bytes.length}`);
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 16), bytes };
}

export function newTokenKey(): TokenKey {
  return tokenKey(randomBytes(KEY_BYTES));
}

/** `null` when the text is not base64 of exactly 32 bytes. */
export function tokenKeyFromBase64(text: string): TokenKey | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === KEY_BYTES ? tokenKey(bytes) : null;
}

export function tokenKeyToBase64(key: TokenKey): string {
  return key.bytes.toString('base64');
}

/**
 * AES-256-GCM with a fresh 96-bit IV per value: `tk1.<key id>.<iv>.<ciphertext>.<tag>` (base64url).
 * `context` (table, column, user) is authenticated too, so a value copied to another row or
 * column does not decrypt.
 */
export function encryptToken(key: TokenKey, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [ENVELOPE, key.id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export interface SealedToken {
  keyId: string;
  iv: Buffer;
  body: Buffer;
  tag: Buffer;
}

/** `null` for anything that is not this module's envelope (a plaintext token, say). */
export function parseSealed(value: string): SealedToken | null {
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== ENVELOPE) return null;
  const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
  const sealed = { keyId, iv: Buffer.from(iv, 'base64url'), body: Buffer.from(body, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  return sealed.iv.length === IV_BYTES && sealed.tag.length === TAG_BYTES ? sealed : null;
}

/** Throws when the key is wrong or the value or its context was tampered with. */
export function decryptToken(key: TokenKey, sealed: SealedToken, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.body), decipher.final()]).toString('utf8');
}
