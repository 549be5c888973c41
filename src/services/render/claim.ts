import { join } from 'node:path';
import { messageOf } from '../../errors.js';
import type { SlideGroup } from '../../db/types.js';
import { failClaim, type Claim } from '../schedule/claim.js';
import { recoverCrashedGroups } from './crashed.js';
import { claimDaySlot } from './dayCount.js';
import type { OnRenderEvent } from './events.js';
import { uniqueFolder } from './folder.js';
import type { RenderDeps, RenderOptions } from './group.js';
import type { GroupPlan } from './plan.js';
import { groupStamp } from './time.js';

export interface ClaimedGroup {
  claim: Claim;
  /** The group's `rendering` row, its folder written. */
  row: SlideGroup;
  /** The local group folder, created. */
  folder: string;
  /** `<uid>/<session_id>/<folder name>` in the Exports bucket. */
  exportsFolder: string;
  /** Earlier renders found dead in `rendering` and marked failed. */
  recovered: number;
}

const REMOTE_STALE_AFTER_MS = 30 * 60 * 1000;

/**
 * Marks the session's crashed renders failed, claims today's count for this group (unless the
 * caller did), and gives the group its folder. A failure after the claim gives the count back.
 */
export async function claimRenderGroup(
  deps: RenderDeps,
  options: RenderOptions,
  plan: GroupPlan,
  o: { now: Date; report: OnRenderEvent },
): Promise<ClaimedGroup> {
  const { backend, timeZone } = deps;
  const { rows } = backend;
  const staleAfterMs = options.staleAfterMs ?? (backend.kind === 'local' ? 0 : REMOTE_STALE_AFTER_MS);
  const recovered = await recoverCrashedGroups(rows, plan.session.id, {
    now: o.now,
    timeZone,
    staleAfterMs,
    except: options.claimed?.group.id,
  });
  for (const group of recovered) o.report({ type: 'recovered', groupNumber: group.group_number, startedAt: group.created_at });

  const claim = options.claimed ?? (await claimDaySlot(rows, plan.session.id, { now: o.now, timeZone, force: options.force }));
  const base = options.outDir ?? join(deps.paths.data, 'groups');
  const exportsFolderOf = (name: string) => `${backend.identity.userId}/${plan.session.id}/${name}`;
  try {
    // The group's id in the name: two groups started in the same second (two machines, a quick
    // re-render) must not share an Exports folder.
    const folder = await uniqueFolder(join(base, plan.session.id), `${groupStamp(o.now)}-${claim.group.id.slice(0, 8)}`);
    const [row] = await rows.update(
      'slide_groups',
      { folder: options.upload ? exportsFolderOf(folder.name) : folder.path },
      { id: claim.group.id, status: 'rendering' },
    );
    if (!row) throw new Error('the claimed slide_groups row is gone');
    return { claim, row, folder: folder.path, exportsFolder: exportsFolderOf(folder.name), recovered: recovered.length };
  } catch (error) {
    await failClaim(rows, claim, messageOf(error), { now: deps.clock.now(), timeZone }).catch(() => undefined);
    throw error;
  }
}
