import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeClip } from '../../media/clip.js';
import { failClaim } from '../schedule/claim.js';
import { groupSettings, withBeats } from './assets.js';
import { claimRenderGroup } from './claim.js';
import { createdToday } from './dayCount.js';
import { inStage, type OnRenderEvent, type RenderStage } from './events.js';
import { executeApart } from './executeApart.js';
import { failureReason, GroupFailed } from './failure.js';
import { fetchSources, sourcesCacheDir } from './fetchSources.js';
import type { ExportedGroup, GroupResult, RenderDeps, RenderOptions } from './group.js';
import { claimedPlan, loadGroupPlan, type GroupPlan } from './plan.js';
import { exportGroup, removeGroupObjects } from './publish.js';
import { recordGroup } from './record.js';
import { renderLook } from './renderLook.js';
import { manifestPost, manifestPublish } from '../sessions/post.js';
import { buildGroupSpec, type SpecItem } from './spec.js';

/**
 * Renders the next slide group of a session, end to end (DESIGN §6–7), in a straight line:
 * check the inputs, claim, fetch the sources, build the GroupSpec, execute it into a local
 * folder, publish it to Exports (manifest last), record it. A failure after the claim marks the
 * group failed, gives the count back, removes what was pushed and keeps the local folder.
 */
export async function renderSlideGroup(deps: RenderDeps, options: RenderOptions): Promise<GroupResult> {
  // A caller that claimed the group (run --due) took the render turn before its claim.
  const release = options.claimed ? null : await deps.backend.renderTurn();
  try {
    return await renderInTurn(deps, options);
  } finally {
    await release?.();
  }
}

async function renderInTurn(deps: RenderDeps, options: RenderOptions): Promise<GroupResult> {
  const { backend, timeZone } = deps;
  const now = deps.clock.now();
  const report = deps.onProgress ?? (() => undefined);
  const session = await loadGroupPlan(backend.rows, options.claimed?.session.id ?? options.sessionId);
  const look = await renderLook(deps, options, session.session);
  const checked = await groupSettings(look, options);
  const claimed = await claimRenderGroup(deps, options, session, { now, report });
  const { claim, row, folder } = claimed;

  let reached: RenderStage = 'fetch';
  const track: OnRenderEvent = (event) => {
    if (event.type === 'stage' && event.status === 'start') reached = event.stage;
    report(event);
  };
  const uploaded: string[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'slides-render-'));
  try {
    const planned = (async () => {
      const plan = await claimedPlan(backend.rows, session.session, claim.group.item_ids);
      const paths = await fetchItems(deps, plan, track);
      reached = 'slides';
      const items = await probeItems(plan, paths);
      const spec = buildGroupSpec({
        sessionId: plan.session.id,
        items,
        settings: withBeats(checked),
        claim: { groupNumber: claim.group.group_number, createdAt: now.toISOString() },
        place: { folder, workDir, logDir: join(deps.paths.state, 'logs') },
        lookFrom: look.from,
        post: manifestPost(look.post, { groupNumber: claim.group.group_number, slides: items.length, date: now, timeZone }),
        publish: manifestPublish(look.post),
      });
      return { plan, spec };
    })();
    // The slides and video need nothing of the database: letting go of it meanwhile lets other
    // commands use the embedded one, and frees its memory for sharp and ffmpeg.
    const ready = planned.then(async (p) => {
      await backend.suspend();
      return p.spec;
    });
    const files = await executeApart(ready, track);
    const { plan } = await planned;
    const exported: ExportedGroup | null = options.upload
      ? await exportGroup(backend.storage, claimed.exportsFolder, files, { uploaded, report: track })
      : null;
    reached = 'record';
    const recorded = await recordGroup(backend, { row, plan, exported, files });
    return {
      groupId: row.id,
      sessionId: plan.session.id,
      groupNumber: claim.group.group_number,
      folder,
      ...files,
      exports: exported,
      createdToday: createdToday(recorded, now, timeZone),
      maxPerDay: recorded.max_per_day,
      recoveredCrashes: claimed.recovered,
    };
  } catch (error) {
    if (uploaded.length > 0 || reached === 'record') await removeGroupObjects(backend.storage, claimed.exportsFolder, uploaded);
    await failClaim(backend.rows, claim, failureReason(reached, error), { now: deps.clock.now(), timeZone }).catch(() => undefined);
    throw new GroupFailed(reached, folder, row.id, error);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The fetch step: a local copy of each item's source, from the cache or the Sources bucket. */
function fetchItems(deps: RenderDeps, plan: GroupPlan, report: OnRenderEvent): Promise<string[]> {
  const total = plan.items.length;
  return inStage(report, 'fetch', total, () =>
    fetchSources(deps.backend.storage, plan.items.map((i) => i.source), {
      cacheDir: sourcesCacheDir(deps.paths.cache),
      onFetched: (done) => report({ type: 'files', stage: 'fetch', done, total }),
    }),
  );
}

/** Clips' lengths and sound, which the timeline needs. */
function probeItems(plan: GroupPlan, paths: readonly string[]): Promise<SpecItem[]> {
  return Promise.all(
    plan.items.map(async (item, k): Promise<SpecItem> => {
      const path = paths[k] as string;
      return item.source.file_type === 'video' ? { ...item, path, clip: await probeClip(path) } : { ...item, path };
    }),
  );
}
