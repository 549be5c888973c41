import type { Rows } from '../../db/backend.js';
import type { MediaSession, SlideGroup } from '../../db/types.js';

export interface FinishedGroup {
  slideCount: number;
  /** Where the group's video is (its Exports key when pushed, else the local file); null without one. */
  videoPath: string | null;
  /** Item id → the Exports key of its slide, for the items `processed_file_path` should point at. */
  processedPaths: Record<string, string>;
  /** The session's `exported_video_path` from now on (unless a later group finished first). */
  exportedVideoPath: string | null;
}

/**
 * Records a finished group in one transaction (slides_finish_group, 0004): the group is done, its
 * items point at their slides, the session counts it and its failure streak ends. A kill before
 * the call leaves a `rendering` row that crash recovery fails and gives back; after it, a done and
 * counted group. Throws when the group is no longer rendering (failed by another run meanwhile).
 */
export async function finishGroup(rows: Rows, group: Pick<SlideGroup, 'id'>, done: FinishedGroup): Promise<MediaSession> {
  return rows.rpc<MediaSession>('slides_finish_group', {
    p_group_id: group.id,
    p_slide_count: done.slideCount,
    p_video_path: done.videoPath,
    p_processed_paths: done.processedPaths,
    p_exported_video_path: done.exportedVideoPath,
  });
}
