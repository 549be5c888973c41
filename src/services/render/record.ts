import type { Backend } from '../../db/backend.js';
import type { MediaSession, SlideGroup } from '../../db/types.js';
import type { ExportedGroup, GroupFiles } from './group.js';
import type { GroupPlan } from './plan.js';

/** The group is done: its row, the items' newest slides, and where the session goes next. */
export async function recordGroup(
  backend: Backend,
  o: { row: SlideGroup; plan: GroupPlan; exported: ExportedGroup | null; files: GroupFiles; claimed: MediaSession },
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
