import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { IO } from '../../cli/io.js';
import type { Clock } from '../../clock.js';
import type { Backend } from '../../db/backend.js';
import { messageOf, UsageError } from '../../errors.js';
import type { MediaSession, SlideGroup } from '../../db/types.js';
import type { Paths } from '../../paths.js';
import { PRESETS, type PresetName } from '../../media/canvas.js';
import { captionColors, type CaptionPosition, type CaptionStyle } from '../../media/caption/look.js';
import { loadFontStack } from '../../media/caption/fonts.js';
import type { FitMode } from '../../media/fit.js';
import type { MotionName, TransitionName } from '../../media/timeline.js';
import { failClaim, type Claim } from '../schedule/claim.js';
import { recoverCrashedGroups } from './crashed.js';
import { claimDaySlot, createdToday } from './dayCount.js';
import { failureReason, GroupFailed, type RenderStage } from './failure.js';
import { fetchSources } from './fetchSources.js';
import { loadGroupPlan, type GroupPlan } from './plan.js';
import { renderGroupFiles } from './renderFiles.js';
import { publishGroup, removeGroupObjects } from './publish.js';
import { stage } from './stage.js';
import { groupStamp } from './time.js';
import { wallClockWithZone } from '../schedule/wallClock.js';
import { uniqueFolder } from './folder.js';

export interface RenderDeps {
  backend: Backend;
  clock: Clock;
  io: IO;
  paths: Pick<Paths, 'data' | 'cache' | 'state'>;
  /** The creator's IANA time zone: the day `max_per_day` counts in. */
  timeZone: string;
}

export interface VideoSettings {
  /** Seconds each photo holds (default 3). */
  slideDuration?: number;
  transition?: TransitionName;
  motion?: MotionName;
  /** Background music, looped or trimmed to the video. */
  audio?: string;
  /** Default: FFMPEG_PATH, PATH, then the npm-shipped build. */
  ffmpegPath?: string;
}

export interface RenderOptions extends VideoSettings {
  /** Default: the active session. */
  sessionId?: string;
  /** Where group folders go (default `<data>/groups`). */
  outDir?: string;
  video: boolean;
  upload: boolean;
  preset: PresetName;
  style: CaptionStyle;
  fit?: FitMode;
  position?: CaptionPosition;
  textColor?: string;
  boxColor?: string;
  /** A font file for captions, TikTok Sans behind it for what it lacks. */
  font?: string;
  /** Render past `max_per_day`. */
  force: boolean;
  /** `run --due` claims the slot itself (claimDueSlot) and passes the claim: no second one is made. */
  claimed?: Claim;
  /**
   * Age after which a `rendering` row is a crashed render's. Default: 0 on the local backend (its
   * database lock rules out a live renderer elsewhere), 30 min on Supabase, where another machine
   * may be rendering right now.
   */
  staleAfterMs?: number;
}

export interface ExportedGroup {
  /** `<uid>/<session_id>/<group timestamp>` in the Exports bucket. */
  folder: string;
  slides: string[];
  video: string | null;
  manifest: string;
}

export interface GroupResult {
  groupId: string;
  sessionId: string;
  groupNumber: number;
  /** The local group folder. */
  folder: string;
  slides: string[];
  video: string | null;
  manifest: string;
  exports: ExportedGroup | null;
  /** Groups counted for today, this one included, and the day's cap. */
  createdToday: number;
  maxPerDay: number | null;
  /** Earlier renders found dead in `rendering` and marked failed. */
  recoveredCrashes: number;
  warnings: string[];
}

const REMOTE_STALE_AFTER_MS = 30 * 60 * 1000;

/**
 * Renders the next slide group of a session, end to end (DESIGN §6–7): claim today's count, fetch
 * the sources, render slides, video and manifest into a local folder, push it to Exports (manifest
 * last), then record it. A failure after the claim marks the group failed, gives the count back,
 * removes what was pushed and keeps the local folder.
 */
export async function renderSlideGroup(deps: RenderDeps, options: RenderOptions): Promise<GroupResult> {
  const { backend, clock, io, timeZone } = deps;
  const rows = backend.rows;
  const now = clock.now();
  if (options.video && options.audio !== undefined) await mustExist(options.audio, '--audio');
  captionColors(options.style, options.textColor, options.boxColor);
  if (options.font !== undefined) await loadFontStack(options.font);
  const plan = await loadGroupPlan(rows, options.claimed?.session.id ?? options.sessionId);
  const staleAfterMs = options.staleAfterMs ?? (backend.kind === 'local' ? 0 : REMOTE_STALE_AFTER_MS);
  const recovered = await recoverCrashedGroups(rows, plan.session.id, {
    now,
    timeZone,
    staleAfterMs,
    except: options.claimed?.group.id,
  });
  for (const group of recovered) {
    const started = wallClockWithZone(new Date(group.created_at), timeZone);
    io.warn(`group ${group.group_number}, started ${started}, never finished (crash?): marked failed, its count given back`);
  }

  const claim = options.claimed ?? (await claimDaySlot(rows, plan.session.id, { now, timeZone, force: options.force }));
  const claimed = claim.session;
  const groupNumber = claim.group.group_number;
  const base = join(options.outDir ?? join(deps.paths.data, 'groups'), plan.session.id);
  const exportsFolderOf = (name: string) => `${backend.identity.userId}/${plan.session.id}/${name}`;
  let folder: { path: string; name: string };
  let row: SlideGroup | undefined;
  try {
    // The group's id in the name: two groups started in the same second (two machines, a quick
    // --force) must not share an Exports folder.
    folder = await uniqueFolder(base, `${groupStamp(now)}-${claim.group.id.slice(0, 8)}`);
    [row] = await rows.update(
      'slide_groups',
      { folder: options.upload ? exportsFolderOf(folder.name) : folder.path },
      { id: claim.group.id, status: 'rendering' },
    );
    if (!row) throw new Error('the claimed slide_groups row is gone');
  } catch (error) {
    await failClaim(rows, claim, messageOf(error), { timeZone }).catch(() => undefined);
    throw error;
  }
  const exportsFolder = exportsFolderOf(folder.name);

  const reached: { stage: RenderStage } = { stage: 'fetch' };
  const uploaded: string[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'slides-render-'));
  try {
    const at = (s: RenderStage) => (reached.stage = s);
    const files = await renderLocally(deps, options, plan, { folder: folder.path, workDir, groupNumber, now, at });
    let exported: ExportedGroup | null = null;
    if (options.upload) {
      at('upload');
      const all = [...files.slides, ...(files.video ? [files.video] : []), files.manifest];
      await stage(
        io,
        `Uploading ${all.length} files to Exports`,
        (p) =>
          publishGroup(backend.storage, exportsFolder, all, {
            uploaded,
            onUploaded: (n, total) => p.update(`Uploading ${n}/${total} files to Exports`),
          }),
        () => `Uploaded to Exports/${exportsFolder}/`,
      );
      exported = {
        folder: exportsFolder,
        slides: files.slides.map((file) => `${exportsFolder}/${basename(file)}`),
        video: files.video ? `${exportsFolder}/video.mp4` : null,
        manifest: `${exportsFolder}/manifest.json`,
      };
    }
    at('record');
    const session = await recordGroup(backend, { row, plan, exported, files, claimed });
    return {
      groupId: row.id,
      sessionId: plan.session.id,
      groupNumber,
      folder: folder.path,
      slides: files.slides,
      video: files.video,
      manifest: files.manifest,
      exports: exported,
      createdToday: createdToday(session, now, timeZone),
      maxPerDay: session.max_per_day,
      recoveredCrashes: recovered.length,
      warnings: files.warnings,
    };
  } catch (error) {
    if (uploaded.length > 0 || reached.stage === 'record') await removeGroupObjects(backend.storage, exportsFolder, uploaded);
    await failClaim(rows, claim, failureReason(reached.stage, error), { timeZone }).catch(() => undefined);
    throw new GroupFailed(reached.stage, folder.path, row.id, error);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A mistyped file name is refused before anything is claimed or rendered. */
async function mustExist(path: string, flag: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`${flag} ${path}: no such file`);
  }
}

interface LocalFiles {
  slides: string[];
  video: string | null;
  manifest: string;
  warnings: string[];
}

async function renderLocally(
  deps: RenderDeps,
  options: RenderOptions,
  plan: GroupPlan,
  o: { folder: string; workDir: string; groupNumber: number; now: Date; at: (s: RenderStage) => void },
): Promise<LocalFiles> {
  const { io } = deps;
  await mkdir(o.folder, { recursive: true });
  o.at('fetch');
  const total = plan.items.length;
  const paths = await stage(
    io,
    `Fetching sources 0/${total}`,
    (p) =>
      fetchSources(deps.backend.storage, plan.items.map((i) => i.source), {
        cacheDir: join(deps.paths.cache, 'sources'),
        onFetched: (n) => p.update(`Fetching sources ${n}/${total}`),
      }),
    () => `Fetched ${total} source${total === 1 ? '' : 's'}`,
  );
  return renderGroupFiles(
    {
      items: plan.items.map((item, i) => ({ ...item, path: paths[i] as string })),
      sessionId: plan.session.id,
      groupNumber: o.groupNumber,
      createdAt: o.now.toISOString(),
      folder: o.folder,
      workDir: o.workDir,
      logDir: join(deps.paths.state, 'logs'),
      canvas: PRESETS[options.preset],
      look: {
        preset: options.preset,
        style: options.style,
        fit: options.fit ?? 'cover',
        position: options.position ?? 'center',
        textColor: options.textColor,
        boxColor: options.boxColor,
        fontFile: options.font,
      },
      video: options.video
        ? {
            slideDuration: options.slideDuration,
            transition: options.transition,
            motion: options.motion,
            audio: options.audio,
            ffmpegPath: options.ffmpegPath,
          }
        : null,
    },
    { io, at: o.at },
  );
}

/** The group is done: its row, the items' newest slides, and where the session goes next. */
async function recordGroup(
  backend: Backend,
  o: { row: SlideGroup; plan: GroupPlan; exported: ExportedGroup | null; files: LocalFiles; claimed: MediaSession },
): Promise<MediaSession> {
  const { rows } = backend;
  if (o.exported) {
    const exported = o.exported;
    await Promise.all(
      o.plan.items.map((item, i) =>
        rows.update('session_media_items', { processed_file_path: exported.slides[i] ?? null }, { id: item.item.id }),
      ),
    );
  }
  const [session] = await rows.update(
    'media_sessions',
    {
      next_position: o.plan.nextPosition,
      groups_created: o.claimed.groups_created + 1,
      ...(o.exported?.video ? { exported_video_path: o.exported.video } : {}),
    },
    { id: o.plan.session.id },
  );
  if (!session) throw new Error(`session ${o.plan.session.id} is gone`);
  await rows.update(
    'slide_groups',
    {
      status: 'done',
      slide_count: o.files.slides.length,
      video_path: o.exported ? o.exported.video : o.files.video,
    },
    { id: o.row.id },
  );
  return session;
}
