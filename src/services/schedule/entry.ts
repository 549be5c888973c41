import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SETTINGS, type ResolvedConfig, type SettingKey } from '../../config.js';
import { InvalidSetting, SlidesError } from '../../errors.js';
import { resolvePaths, type Paths } from '../../paths.js';
import { scheduleLogPath } from './log.js';

/** What the scheduler runs, the same for cron and launchd. */
export interface ScheduledRun {
  /** Names this profile's entry: the crontab tag and the LaunchAgent label end with it. */
  id: string;
  everyMinutes: number;
  /** Absolute node, absolute bin/slides.js, then the arguments. */
  argv: string[];
  env: Record<string, string>;
  logFile: string;
}

/** Intervals cron can repeat evenly all day: divisors of an hour, then of a day. */
export const EVERY_MINUTES = [5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440] as const;

export function formatEvery(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/** `15m`, `2h`, `90min`: the minutes between runs, refused unless cron can express them. */
export function parseEvery(raw: string): number {
  const match = /^\s*(\d+)\s*(m|min|mins|minutes?|h|hr|hours?)\s*$/i.exec(raw);
  const choices = EVERY_MINUTES.map(formatEvery).join(', ');
  if (!match) {
    throw new InvalidSetting('every', raw, 'expected minutes or hours such as 15m or 2h', { hint: `one of ${choices}` });
  }
  const minutes = Number(match[1]) * (match[2]!.toLowerCase().startsWith('h') ? 60 : 1);
  if (!(EVERY_MINUTES as readonly number[]).includes(minutes)) {
    throw new InvalidSetting('every', raw, 'cron cannot run that evenly through the day (5m to 24h)', { hint: `one of ${choices}` });
  }
  return minutes;
}

const BIN = fileURLToPath(new URL('../../../bin/slides.js', import.meta.url));

/** Variables of the installing shell that decide which data and settings the run sees. */
const PASSED_THROUGH = ['SLIDES_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'TZ'];
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

export interface ScheduleSource {
  env: NodeJS.ProcessEnv;
  paths: Paths;
  profile: string;
  config: ResolvedConfig;
  /** The CLI's arguments the entry runs (`run` in due mode), given by the command layer. */
  runArgs: readonly string[];
  /** Every argument list an install may have written (publish flags): an entry with any of them is current. */
  installableRunArgs?: readonly (readonly string[])[];
}

/**
 * The entry for this profile. Settings given by flag or environment are carried into the entry
 * (the config file is read by the run itself); secret ones never are, and come back as warnings.
 */
export function scheduledRun(
  source: ScheduleSource,
  everyMinutes: number,
  binaries: { node?: string; cli?: string } = {},
): { run: ScheduledRun; warnings: string[] } {
  const env: Record<string, string> = { PATH: source.env.PATH || DEFAULT_PATH };
  for (const name of PASSED_THROUGH) {
    const value = source.env[name];
    if (value) env[name] = value;
  }
  env.SLIDES_PROFILE = source.profile;
  const warnings: string[] = [];
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const from = source.config.source(key);
    if (from !== 'flag' && from !== 'env') continue;
    const setting = SETTINGS[key];
    const name = setting.env.find((n) => source.env[n]) ?? setting.env[0];
    if (setting.secret) {
      warnings.push(
        `${key} comes from ${from === 'env' ? name : 'a flag'}; the scheduled run will not see it (no secrets in the schedule): store it with slides config set ${key}`,
      );
      continue;
    }
    env[name] = String(source.config.get(key));
  }
  return {
    run: {
      id: scheduleId(source),
      everyMinutes,
      argv: [binaries.node ?? process.execPath, binaries.cli ?? BIN, ...source.runArgs],
      env,
      logFile: scheduleLogPath(source.paths.state),
    },
    warnings,
  };
}

/**
 * An entry's id, checked again where it becomes a crontab tag or a LaunchAgent label: the profile
 * rule's alphabet, so no line break, slash or dot can reach either whatever the caller passed.
 */
export function scheduleEntryId(id: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(id)) {
    throw new SlidesError(`${JSON.stringify(id)} cannot name a schedule entry (only a-z, 0-9, _ and -, as profile names)`);
  }
  return id;
}

/** The profile's name, plus a hash of its state dir when SLIDES_HOME or XDG moved it. */
export function scheduleId(source: Pick<ScheduleSource, 'env' | 'paths' | 'profile'>): string {
  const usual = resolvePaths({ HOME: source.env.HOME }, source.profile).state;
  if (usual === source.paths.state) return source.profile;
  const hash = createHash('sha256').update(source.paths.state).digest('hex').slice(0, 8);
  return `${source.profile}-${hash}`;
}
