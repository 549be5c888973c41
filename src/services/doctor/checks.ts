import type { Backend, BackendKind } from '../../db/backend.js';
import { messageOf } from '../../errors.js';
import type { TikTokHome } from '../../tiktok/auth/open.js';
import type { Machine } from '../schedule/scheduler.js';
import type { ScheduleSource } from '../schedule/entry.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/**
 * What to do about a warn or fail: a sentence, or one of the steps that name the CLI's flags,
 * which the command layer spells: run a command again in verbose mode, or push the schema.
 */
export type CheckFix = string | { verbose: 'doctor' | 'db check' | 'tiktok status' } | { pushSchema: true };

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: CheckFix;
}

/** What the checks look at, as plain values; the backend opens only when a check asks for it. */
export interface DoctorInputs {
  backendKind: BackendKind;
  backend: () => Promise<Backend>;
  env: NodeJS.ProcessEnv;
  /** Where the credentials file goes without a keychain. */
  configDir: string;
  schedule: ScheduleSource;
  machine: Machine;
  tiktok: TikTokHome;
  timeZone: string;
}

type Check = (o: DoctorInputs) => Promise<CheckResult | CheckResult[]>;

const backendCheck: Check = async (o) => {
  const kind = o.backendKind;
  let backend;
  try {
    backend = await o.backend();
  } catch (error) {
    return {
      name: 'backend',
      status: 'fail',
      detail: `${kind}: ${messageOf(error)}`,
      fix: kind === 'supabase' ? 'check supabase.url and your network, then run slides login' : { verbose: 'doctor' },
    };
  }
  const who = backend.identity.email ?? backend.identity.userId;
  const results: CheckResult[] = [
    { name: 'backend', status: 'ok', detail: `${backend.kind} (project ${backend.identity.project}, user ${who})` },
  ];
  const { checkSchema } = await import('../db/schemaCheck.js');
  const { listMigrations } = await import('../../db/migrations.js');
  const latest = listMigrations().at(-1)?.version ?? 'none';
  try {
    const missing = (await checkSchema(backend)).filter((r) => !r.ok);
    results.push(
      missing.length === 0
        ? { name: 'schema', status: 'ok', detail: `every table, bucket and function present (migrations up to ${latest})` }
        : {
            name: 'schema',
            status: 'fail',
            detail: `missing: ${missing.map((m) => m.item).join(', ')}`,
            fix: { pushSchema: true },
          },
    );
  } catch (error) {
    results.push({ name: 'schema', status: 'fail', detail: messageOf(error), fix: { verbose: 'db check' } });
  }
  return results;
};

const ffmpegCheck: Check = async (o) => {
  const { resolveFfmpeg, resolveFfprobe, ffmpegCapabilities } = await import('../../media/ffmpeg/binaries.js');
  const results: CheckResult[] = [];
  try {
    const ffmpeg = resolveFfmpeg(o.env);
    const caps = await ffmpegCapabilities(ffmpeg.path);
    results.push({
      name: 'ffmpeg',
      status: caps.hasLibx264 ? 'ok' : 'fail',
      detail: `${caps.version} from ${ffmpeg.source} (${ffmpeg.path}); libx264 ${caps.hasLibx264 ? 'yes' : 'NO'}`,
      fix: caps.hasLibx264 ? undefined : 'install an ffmpeg built with libx264, or unset FFMPEG_PATH to use the bundled one',
    });
    results.push({
      name: 'transitions',
      status: caps.hasXfade ? 'ok' : 'warn',
      detail: caps.hasXfade
        ? 'xfade present: named transitions available'
        : 'no xfade filter: named transitions fall back to the crossfade',
      fix: caps.hasXfade ? undefined : 'install ffmpeg 4.3 or newer (e.g. apt-get install ffmpeg) for wipes and slides',
    });
  } catch (error) {
    results.push({ name: 'ffmpeg', status: 'fail', detail: messageOf(error), fix: 'install ffmpeg or set FFMPEG_PATH' });
  }
  try {
    const ffprobe = resolveFfprobe(o.env);
    results.push({ name: 'ffprobe', status: 'ok', detail: `from ${ffprobe.source} (${ffprobe.path})` });
  } catch (error) {
    results.push({ name: 'ffprobe', status: 'fail', detail: messageOf(error), fix: 'install ffmpeg or set FFPROBE_PATH' });
  }
  return results;
};

const fontCheck: Check = async () => {
  try {
    const { loadFontStack } = await import('../../media/caption/fonts.js');
    const stack = await loadFontStack();
    const name = stack[0]?.familyName ?? 'unknown';
    return { name: 'font', status: 'ok', detail: `${name} (${stack.length} script subsets), emoji from Twemoji` };
  } catch (error) {
    return { name: 'font', status: 'fail', detail: messageOf(error), fix: 'reinstall: npm install' };
  }
};

const keychainCheck: Check = async (o) => {
  if (o.env.SLIDES_KEYCHAIN === 'off') {
    return { name: 'keychain', status: 'warn', detail: 'off (SLIDES_KEYCHAIN=off): credentials go to a 0600 file' };
  }
  try {
    const { osKeychain } = await import('../../auth/keychain.js');
    const keychain = await osKeychain();
    const probe = `probe-${process.pid}-${Date.now()}`;
    keychain.set('slides-doctor-probe', probe);
    const readBack = keychain.get('slides-doctor-probe');
    keychain.delete('slides-doctor-probe');
    if (readBack !== probe) throw new Error('it keeps nothing');
    return { name: 'keychain', status: 'ok', detail: 'OS keychain usable' };
  } catch (error) {
    return {
      name: 'keychain',
      status: 'warn',
      detail: `no OS keychain (${messageOf(error).split('\n')[0]}): credentials go to a 0600 file in ${o.configDir}`,
      fix: 'fine for servers and CI; on a desktop, unlock or install a Secret Service (gnome-keyring)',
    };
  }
};

const scheduleCheck: Check = async (o) => {
  try {
    const { findSchedule, installedRunArgs } = await import('../schedule/scheduler.js');
    const installed = await findSchedule(o.schedule, o.machine);
    if (!installed) {
      return { name: 'schedule', status: 'warn', detail: 'not installed: nothing renders on its own', fix: 'slides schedule install' };
    }
    const every = installed.everyMinutes === null ? 'an unknown interval' : `every ${installed.everyMinutes} min`;
    const runArgs = installedRunArgs(installed, o.schedule);
    if (!runArgs) {
      return {
        name: 'schedule',
        status: 'warn',
        detail: `${installed.kind} entry ${every} is out of date (node, the CLI or settings moved)`,
        fix: 'slides schedule install',
      };
    }
    return { name: 'schedule', status: 'ok', detail: `${installed.kind} entry runs slides ${runArgs.join(' ')} ${every}` };
  } catch (error) {
    return { name: 'schedule', status: 'warn', detail: `could not read the schedule: ${messageOf(error)}`, fix: 'slides schedule status' };
  }
};

/** TikTok's settings and the stored token, checked with a user info call: nothing is posted. */
const tiktokCheck: Check = async (o) => {
  const name = 'tiktok';
  let backend;
  try {
    backend = await o.backend();
  } catch {
    return { name, status: 'warn', detail: 'not checked: the backend is not available' };
  }
  const { accountStatus } = await import('../../tiktok/auth/status.js');
  const { localDayStart } = await import('../schedule/slots.js');
  try {
    const s = await accountStatus({ home: o.tiktok, backend, dayStart: localDayStart(o.tiktok.clock.now(), o.timeZone) }, { live: true });
    const where = s.endpoints.custom ? ` (endpoints ${s.endpoints.apiUrl})` : '';
    const configure = 'slides config set tiktok.clientKey KEY tiktok.clientSecret SECRET (README: TikTok)';
    if (!s.account) {
      if (!s.app.clientKey && !s.app.clientSecret) return { name, status: 'warn', detail: 'not set up: slides cannot publish', fix: `${configure}, then slides tiktok connect` };
      if (!s.app.clientKey || !s.app.clientSecret) return { name, status: 'fail', detail: `app half configured${where}`, fix: configure };
      return { name, status: 'warn', detail: `app ${s.app.clientKey}${where}, no account connected`, fix: 'slides tiktok connect' };
    }
    const who = `${s.account.displayName ?? s.account.openId} (${s.account.scopes.join(', ')})`;
    if (!s.token?.ok) {
      const error = s.token?.error;
      return { name, status: 'fail', detail: `${who}: ${error?.message ?? 'not checked'}${where}`, fix: error?.hint ?? 'slides tiktok status' };
    }
    return { name, status: 'ok', detail: `${who}, token accepted${s.token.refreshed ? ' (renewed)' : ''}, renews until ${s.account.refreshExpiresAt}${where}` };
  } catch (error) {
    return { name, status: 'fail', detail: messageOf(error), fix: { verbose: 'tiktok status' } };
  }
};

export const CHECKS: Check[] = [backendCheck, ffmpegCheck, fontCheck, keychainCheck, scheduleCheck, tiktokCheck];

export async function runChecks(o: DoctorInputs, checks: Check[] = CHECKS): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(...[await check(o)].flat());
  return results;
}
