/**
 * Which ffmpeg/ffprobe to run: FFMPEG_PATH/FFPROBE_PATH, else the ones on PATH, else the static
 * builds shipped in npm packages (so `npm install` alone is enough), and what the chosen ffmpeg can do.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../errors.js';

export type BinarySource = 'env' | 'path' | 'npm';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface FfmpegCapabilities {
  version: string;
  hasLibx264: boolean;
  /** The xfade filter (ffmpeg ≥ 4.3): named transitions need it. */
  hasXfade: boolean;
  /** The fifo filter (gone in ffmpeg 7): where present, it keeps memory down (see items.ts). */
  hasFifo: boolean;
}

type Env = Record<string, string | undefined>;

export function resolveFfmpeg(env: Env = process.env): ResolvedBinary {
  return resolveBinary('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg', env);
}

export function resolveFfprobe(env: Env = process.env): ResolvedBinary {
  return resolveBinary('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe', env);
}

function resolveBinary(name: string, envVar: string, npmPackage: string, env: Env): ResolvedBinary {
  const fromEnv = env[envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutableFile(fromEnv)) {
      throw new UsageError(`${envVar}=${fromEnv} is not an executable file`, {
        hint: `point ${envVar} at a ${name} binary, or unset it`,
      });
    }
    return { path: fromEnv, source: 'env' };
  }
  const onPath = findOnPath(name, env);
  if (onPath !== undefined) return { path: onPath, source: 'path' };
  try {
    const shipped = createRequire(import.meta.url)(npmPackage) as { path: string };
    return { path: shipped.path, source: 'npm' };
  } catch (cause) {
    throw new UsageError(`no ${name} found (${envVar} unset, none on PATH, ${npmPackage} unusable here)`, {
      hint: `install ${name} or set ${envVar}`,
      cause,
    });
  }
}

function findOnPath(name: string, env: Env): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const run = promisify(execFile);
const capabilities = new Map<string, Promise<FfmpegCapabilities>>();

/** Asks the binary once per process (three quick runs) and caches the answer. */
export function ffmpegCapabilities(ffmpegPath: string): Promise<FfmpegCapabilities> {
  let cached = capabilities.get(ffmpegPath);
  if (cached === undefined) {
    cached = detectCapabilities(ffmpegPath);
    capabilities.set(ffmpegPath, cached);
    cached.catch(() => capabilities.delete(ffmpegPath));
  }
  return cached;
}

async function detectCapabilities(ffmpegPath: string): Promise<FfmpegCapabilities> {
  const ask = async (flag: string): Promise<string> => {
    try {
      return (await run(ffmpegPath, ['-hide_banner', flag], { maxBuffer: 16 * 1024 * 1024 })).stdout;
    } catch (cause) {
      throw new UsageError(`${ffmpegPath} does not run as ffmpeg (${flag} failed)`, {
        hint: 'set FFMPEG_PATH to a working ffmpeg',
        cause,
      });
    }
  };
  const [version, filters, encoders] = await Promise.all([ask('-version'), ask('-filters'), ask('-encoders')]);
  return parseCapabilities(version, filters, encoders);
}

export function parseCapabilities(version: string, filters: string, encoders: string): FfmpegCapabilities {
  return {
    version: /ffmpeg version (\S+)/.exec(version)?.[1] ?? 'unknown',
    hasLibx264: /^\s*V\S*\s+libx264\s/m.test(encoders),
    hasXfade: /^\s*\S+\s+xfade\s/m.test(filters),
    hasFifo: /^\s*\S+\s+fifo\s/m.test(filters),
  };
}
