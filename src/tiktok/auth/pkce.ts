import { createHash, randomBytes } from 'node:crypto';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
/** Bytes at or above this would favour the first characters (256 is not a multiple of 66). */
const UNBIASED = 256 - (256 % UNRESERVED.length);

/** A new verifier per attempt: 64 characters of RFC 7636's unreserved set (TikTok takes 43–128). */
export function codeVerifier(length = 64): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length)) {
      if (b < UNBIASED && out.length < length) out += UNRESERVED[b % UNRESERVED.length];
    }
  }
  return out;
}

/** TikTok's desktop flow wants the HEX SHA-256 of the verifier, not RFC 7636's base64url. */
export function hexCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('hex');
}
