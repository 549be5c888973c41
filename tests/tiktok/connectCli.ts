import { spawn } from 'node:child_process';
import { BIN, type CliResult } from '../helpers/cli.js';
import type { FakeOAuth } from './fake/oauth.js';
import type { FakeTikTok } from './fake/server.js';

/** The environment of a binary run in `home` that talks to the fake TikTok, keys in a 0600 file. */
export function fakeTikTokEnv(home: string, fake: FakeTikTok, oauth: FakeOAuth, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    SLIDES_HOME: home,
    SLIDES_KEYCHAIN: 'off',
    SLIDES_TIKTOK_AUTH_URL: oauth.authUrl,
    SLIDES_TIKTOK_API_URL: fake.url,
    NO_COLOR: '1',
    ...extra,
  };
}

export const AUTHORIZE_LINK = /http:\/\/127\.0\.0\.1:\d+\/v2\/auth\/authorize\/\S+/;

/**
 * `slides tiktok connect --no-browser` on the built binary: reads the printed link and follows it
 * as a browser would (the fake's authorize page redirects to the CLI's callback server), unless
 * `follow` is false; `page` is what the callback server showed the browser.
 */
export function connectWithoutBrowser(env: NodeJS.ProcessEnv, args: string[] = [], o: { follow?: boolean } = {}): Promise<CliResult & { page: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'tiktok', 'connect', '--no-browser', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let page = '';
    let followed: Promise<void> | undefined;
    const browse = async (url: string) => {
      const authorize = await fetch(url, { redirect: 'manual' });
      const location = authorize.headers.get('location');
      if (!location) throw new Error(`the authorize page answered ${authorize.status}: ${await authorize.text()}`);
      page = await (await fetch(location)).text();
    };
    const look = () => {
      const url = AUTHORIZE_LINK.exec(stderr)?.[0];
      if (url && !followed && o.follow !== false) followed = browse(url).catch(reject);
    };
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => ((stderr += d), look()));
    child.on('error', reject);
    child.on('close', async (code) => {
      await followed;
      resolve({ code: code ?? -1, stdout, stderr, page });
    });
  });
}
