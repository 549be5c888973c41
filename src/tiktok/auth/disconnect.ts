import type { Backend } from '../../db/backend.js';
import { messageOf } from '../../errors.js';
import { openKeyRing, TOKEN_KEY_ENV } from '../crypto/keyRing.js';
import { tiktokApp, tiktokEndpoints } from '../settings.js';
import { forgetConnection, openToken, readConnection } from './account.js';
import { revokeToken } from './oauth.js';
import type { TikTokHome } from './open.js';

export interface Disconnected {
  /** The account that was connected, or null when there was none. */
  openId: string | null;
  /** TikTok revoked the token (false: it could not be reached, refused, or there was no key to open it). */
  revoked: boolean;
  keyForgotten: boolean;
}

/**
 * Revokes the token at TikTok, then forgets the account and its tokens (one transaction) and this
 * profile's token key. A failed revoke is reported, never a reason to keep the tokens.
 */
export async function disconnectTikTok(
  deps: { home: TikTokHome; backend: Pick<Backend, 'rows' | 'identity'> },
  events: { warn(line: string): void },
): Promise<Disconnected> {
  const { home, backend } = deps;
  const keys = await openKeyRing(home);
  const connection = await readConnection(backend.rows, backend.identity.userId);
  let revoked = false;
  if (connection) {
    try {
      const token = openToken(keys, connection.row, 'access_token');
      await revokeToken({ endpoints: tiktokEndpoints(home.config), app: await tiktokApp(home.config, home), token });
      revoked = true;
    } catch (error) {
      events.warn(`TikTok did not revoke the token (${messageOf(error)}); remove slides in the TikTok app under Settings and privacy > Security > Manage app permissions`);
    }
    await forgetConnection(backend.rows, connection.openId);
  }
  const keyForgotten = keys.forget();
  if (home.env[TOKEN_KEY_ENV]) events.warn(`${TOKEN_KEY_ENV} is set in the environment: slides cannot forget it, unset it yourself`);
  return { openId: connection?.openId ?? null, revoked, keyForgotten };
}
