import type { Backend } from '../../db/backend.js';
import type { MediaSession, SlideGroup } from '../../db/types.js';
import { finishGroup } from '../schedule/finish.js';
import type { ExportedGroup, GroupFiles } from './group.js';
import type { GroupPlan } from './plan.js';

/**
 * The group is done: its row, the items' newest slides and the session's count and video, in one
 * call (slides_finish_group), so a kill leaves either a done, counted group or a rendering row
 * that crash recovery fails and gives back.
 */
export async function recordGroup(
  backend: Backend,
  o: { row: SlideGroup; plan: GroupPlan; exported: ExportedGroup | null; files: GroupFiles },
): Promise<MediaSession> {
  const exported = o.exported;
  const processedPaths: Record<string, string> = {};
  if (exported) {
    o.plan.items.forEach((planned, i) => {
      const slide = exported.slides[i];
      if (slide !== undefined) processedPaths[planned.item.id] = slide;
    });
  }
  return finishGroup(backend.rows, o.row, {
    slideCount: o.files.slides.length,
    videoPath: exported ? exported.video : o.files.video,
    processedPaths,
    exportedVideoPath: exported?.video ?? null,
  });
}
