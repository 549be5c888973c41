import type { Rows } from '../../db/backend.js';
import type { PostKind, PostMode, PostStatus } from '../../db/types.js';

/** One post of a slide group as `session show` lists it. */
export interface GroupPost {
  group_id: string;
  kind: PostKind;
  mode: PostMode;
  round: number;
  status: PostStatus;
  publish_id: string | null;
  tiktok_post_id: string | null;
  fail_reason: string | null;
  /** When it finished (sent, posted or failed), else when it last moved. */
  at: string;
}

/** The TikTok posts of these groups, oldest first, keyed by group id (groups without posts are absent). */
export async function postsOfGroups(rows: Rows, groupIds: readonly string[]): Promise<Map<string, GroupPost[]>> {
  const byGroup = new Map<string, GroupPost[]>();
  if (groupIds.length === 0) return byGroup;
  const posts = await rows.select('slide_group_posts', {
    where: { group_id: { in: [...groupIds] } },
    order: [{ column: 'created_at' }],
  });
  for (const p of posts) {
    const list = byGroup.get(p.group_id) ?? [];
    list.push({
      group_id: p.group_id,
      kind: p.kind,
      mode: p.mode,
      round: p.round,
      status: p.status,
      publish_id: p.publish_id,
      tiktok_post_id: p.tiktok_post_id,
      fail_reason: p.fail_reason,
      at: p.finished_at ?? p.updated_at,
    });
    byGroup.set(p.group_id, list);
  }
  return byGroup;
}
