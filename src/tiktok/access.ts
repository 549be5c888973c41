/** Where TikTok lives: settings (SLIDES_TIKTOK_AUTH_URL, SLIDES_TIKTOK_API_URL) so tests and sandboxes point elsewhere. */
export interface TikTokEndpoints {
  /** Login Kit's authorize page (default https://www.tiktok.com/v2/auth/authorize/). */
  readonly authUrl: string;
  /** Every API path (upload URLs aside) is joined to it (default https://open.tiktokapis.com). */
  readonly apiUrl: string;
}

/**
 * What publishing needs from a connected account: the tokens decrypted and refreshed on demand
 * (the connect side builds it from tiktok_auth; tests may build one over the fake's tokens).
 */
export interface TikTokAccess {
  readonly openId: string;
  readonly scopes: readonly string[];
  /** A valid access token, refreshed first when it expires within a minute. */
  accessToken(): Promise<string>;
  /** Refreshes now (TikTok answered access_token_invalid), stores the rotated refresh token, returns the new access token. */
  refresh(): Promise<string>;
}

/** An API path joined to the API base, keeping any path prefix the base has (a sandbox under /tiktok/…). */
export function apiUrl(endpoints: TikTokEndpoints, path: string): string {
  return new URL(path.replace(/^\//, ''), endpoints.apiUrl.endsWith('/') ? endpoints.apiUrl : `${endpoints.apiUrl}/`).toString();
}
