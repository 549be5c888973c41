import type { Rows } from '../../db/backend.js';
import type { TiktokAuth } from '../../db/types.js';
import { AuthError } from '../../errors.js';
import { missingKey, type KeyRing } from '../crypto/keyRing.js';
import { decryptToken, encryptToken, parseSealed } from '../crypto/tokenCipher.js';
import { RECONNECT, splitScope, type TokenSet } from './oauth.js';
import type { TikTokUser } from './userInfo.js';

type TokenColumn = 'access_token' | 'refresh_token';

/** What a sealed token is bound to: a value copied to another column or user does not open. */
function sealContext(userId: string, column: TokenColumn): string {
  return `tiktok_auth.${column}:${userId}`;
}

/** The account as stored, tokens still sealed: enough for status without the key. */
export interface Connection {
  userId: string;
  openId: string;
  displayName: string | null;
  scopes: string[];
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
  /** The id of the key the tokens are sealed with. */
  keyId: string | null;
  row: TiktokAuth;
}

/** The non-secret part, kept in profiles.tiktok_auth_data. */
export interface AccountData {
  display_name: string | null;
  avatar_url: string | null;
  union_id: string | null;
  connected_at: string;
}

const dateOrNull = (value: string | null) => (value ? new Date(value) : null);

export async function readConnection(rows: Rows, userId: string): Promise<Connection | null> {
  const [row] = await rows.select('tiktok_auth', { where: { user_id: userId } });
  if (!row?.tiktok_account_id || !row.access_token) return null;
  const [profile] = await rows.select('profiles', { where: { id: userId } });
  const data = (profile?.tiktok_auth_data ?? {}) as Partial<AccountData>;
  return {
    userId,
    openId: row.tiktok_account_id,
    displayName: data.display_name ?? null,
    scopes: splitScope(row.scope),
    accessExpiresAt: dateOrNull(row.expires_at),
    refreshExpiresAt: dateOrNull(row.refresh_expires_at),
    keyId: parseSealed(row.access_token)?.keyId ?? null,
    row,
  };
}

/** Opens one sealed column with whichever key of the ring its id names. */
export function openToken(keys: KeyRing, row: TiktokAuth, column: TokenColumn): string {
  const value = row[column];
  const sealed = value ? parseSealed(value) : null;
  if (!sealed) throw new AuthError(`the stored TikTok ${column.replace('_', ' ')} is not readable`, { hint: RECONNECT });
  const key = keys.find(sealed.keyId);
  if (!key) throw missingKey(sealed.keyId);
  try {
    return decryptToken(key, sealed, sealContext(row.user_id, column));
  } catch {
    throw new AuthError(`the stored TikTok ${column.replace('_', ' ')} does not open with key ${sealed.keyId} (altered or copied from elsewhere)`, {
      hint: RECONNECT,
    });
  }
}

export function sealTokens(keys: KeyRing, userId: string, tokens: TokenSet) {
  const key = keys.ensure();
  return {
    access_token: encryptToken(key, tokens.accessToken, sealContext(userId, 'access_token')),
    refresh_token: encryptToken(key, tokens.refreshToken, sealContext(userId, 'refresh_token')),
    expires_at: tokens.accessExpiresAt.toISOString(),
    refresh_expires_at: tokens.refreshExpiresAt.toISOString(),
    scope: tokens.scopes.join(','),
  };
}

/** The account and its sealed tokens, in one transaction (0006 slides_save_tiktok_account). */
export async function saveConnection(
  rows: Rows,
  keys: KeyRing,
  o: { userId: string; tokens: TokenSet; user: TikTokUser; now: Date },
): Promise<void> {
  const sealed = sealTokens(keys, o.userId, o.tokens);
  const data: AccountData = {
    display_name: o.user.displayName,
    avatar_url: o.user.avatarUrl,
    union_id: o.user.unionId,
    connected_at: o.now.toISOString(),
  };
  await rows.rpc('slides_save_tiktok_account', {
    p_open_id: o.tokens.openId,
    p_auth_data: data,
    p_access_token: sealed.access_token,
    p_refresh_token: sealed.refresh_token,
    p_expires_at: sealed.expires_at,
    p_refresh_expires_at: sealed.refresh_expires_at,
    p_scope: sealed.scope,
  });
}

/** Forgets the account and its tokens (0006 slides_forget_tiktok_account); false when it was gone already. */
export async function forgetConnection(rows: Rows, openId: string): Promise<boolean> {
  return (await rows.rpc<number>('slides_forget_tiktok_account', { p_open_id: openId })) > 0;
}
