import { z } from 'zod';
import { AuthError } from '../../errors.js';
import { apiUrl, type TikTokEndpoints } from '../access.js';
import { RECONNECT, tiktokFetch } from './oauth.js';

export interface TikTokUser {
  openId: string;
  unionId: string | null;
  displayName: string | null;
  avatarUrl: string | null;
}

/** A data endpoint's `{ error: { code, message, log_id } }` when the code is not "ok". */
export class TikTokUserInfoError extends AuthError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`TikTok refused the user info: ${code}${message ? ` (${message})` : ''}`, { hint: RECONNECT });
    this.code = code;
  }
}

const reply = z.object({
  data: z
    .object({
      user: z
        .object({
          open_id: z.string(),
          union_id: z.string().nullish(),
          display_name: z.string().nullish(),
          avatar_url: z.string().nullish(),
        })
        .optional(),
    })
    .nullish(),
  error: z.object({ code: z.string(), message: z.string().optional() }),
});

/** `GET /v2/user/info/` (scope user.info.basic): who the token belongs to. */
export async function fetchUserInfo(endpoints: TikTokEndpoints, accessToken: string): Promise<TikTokUser> {
  const res = await tiktokFetch(apiUrl(endpoints, '/v2/user/info/?fields=open_id,union_id,avatar_url,display_name'), {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const parsed = reply.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new TikTokUserInfoError(`http_${res.status}`, 'an answer slides does not understand');
  const { data, error } = parsed.data;
  const user = data?.user;
  if (error.code !== 'ok' || !user) throw new TikTokUserInfoError(error.code, error.message ?? '');
  return {
    openId: user.open_id,
    unionId: user.union_id ?? null,
    displayName: user.display_name ?? null,
    avatarUrl: user.avatar_url ?? null,
  };
}
