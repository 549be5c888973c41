-- 0004: exactly once. The claim hands out the group's number and its items, finishing and failing
-- a group are one transaction each, and so are `session edit` and `files rm`. Every function that
-- changes a session's items or counters starts by locking the session's row, so they take turns.

ALTER TABLE media_sessions
  -- The number of the last group claimed (groups_created counts the finished ones).
  ADD COLUMN last_group_number INTEGER NOT NULL DEFAULT 0 CHECK (last_group_number >= 0),
  -- Renders that failed since the last one that finished: the schedule backs off after three.
  ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  ADD COLUMN last_failed_at TIMESTAMP WITH TIME ZONE;

-- The items a group took, in slide order, as the claim chose them.
ALTER TABLE slide_groups ADD COLUMN item_ids UUID[] NOT NULL DEFAULT '{}';

-- Before 0004 two renders racing could share a number: the later ones move past the session's
-- highest, so a number names one group from now on.
WITH numbered AS (
  SELECT id, session_id,
         row_number() OVER (PARTITION BY session_id, group_number ORDER BY created_at, id) AS copy
  FROM slide_groups
), renumbered AS (
  SELECT n.id,
         (SELECT max(g.group_number) FROM slide_groups g WHERE g.session_id = n.session_id)
           + row_number() OVER (PARTITION BY n.session_id ORDER BY n.id) AS group_number
  FROM numbered n
  WHERE n.copy > 1
)
UPDATE slide_groups SET group_number = r.group_number FROM renumbered r WHERE slide_groups.id = r.id;

CREATE UNIQUE INDEX slide_groups_session_group_number ON slide_groups (session_id, group_number);

UPDATE media_sessions s
SET last_group_number = GREATEST(
  s.groups_created,
  COALESCE((SELECT max(g.group_number) FROM slide_groups g WHERE g.session_id = s.id), 0)
);

-- The claim: today's count, the next group number, the items from next_position (per_group of
-- them, all by default, at most 35, wrapping around), next_position moved past them, and the
-- group's `rendering` row, all in one transaction. The session's row is updated first, so a
-- concurrent claim waits for this one and then sees what it changed.
CREATE OR REPLACE FUNCTION slides_claim_group(
  p_session_id UUID,
  p_seen_last_run_at TIMESTAMP WITH TIME ZONE,
  p_seen_created_per_day INTEGER,
  p_created_per_day INTEGER,
  p_now TIMESTAMP WITH TIME ZONE,
  p_require_active BOOLEAN
) RETURNS slide_groups
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  claimed media_sessions;
  items UUID[];
  item_count INTEGER;
  size INTEGER;
  start INTEGER;
  grp slide_groups;
BEGIN
  UPDATE media_sessions
  SET created_per_day = p_created_per_day, last_run_at = p_now, last_group_number = last_group_number + 1
  WHERE id = p_session_id
    AND last_run_at IS NOT DISTINCT FROM p_seen_last_run_at
    AND created_per_day = p_seen_created_per_day
    AND (is_active OR NOT p_require_active)
  RETURNING * INTO claimed;
  IF claimed.id IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT COALESCE(array_agg(i.id ORDER BY i.position, i.id), '{}') INTO items
  FROM session_media_items i WHERE i.session_id = claimed.id;
  -- A session with no items still claims: its render then fails and counts for the back-off.
  item_count := GREATEST(cardinality(items), 1);
  size := LEAST(COALESCE(claimed.per_group, item_count), cardinality(items), 35);
  start := claimed.next_position % item_count;
  UPDATE media_sessions SET next_position = (start + size) % item_count WHERE id = claimed.id;
  INSERT INTO slide_groups (session_id, group_number, folder, status, created_at, item_ids)
  VALUES (
    claimed.id, claimed.last_group_number, '', 'rendering', p_now,
    ARRAY(SELECT items[(start + k) % item_count + 1] FROM generate_series(0, size - 1) AS k ORDER BY k)
  )
  RETURNING * INTO grp;
  RETURN grp;
END $$;

-- Finishing: the group is done, its items point at their slides, the session counts it and points
-- at its video (unless a later group already finished), and its failure streak ends. Refused when
-- the group is no longer `rendering` (a crash recovery elsewhere marked it failed and gave its
-- count back): it is then not counted twice.
CREATE FUNCTION slides_finish_group(
  p_group_id UUID,
  p_slide_count INTEGER,
  p_video_path TEXT,
  p_processed_paths JSONB,
  p_exported_video_path TEXT
) RETURNS media_sessions
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  grp slide_groups;
  finished media_sessions;
BEGIN
  SELECT * INTO grp FROM slide_groups WHERE id = p_group_id;
  IF grp.id IS NULL THEN
    RAISE EXCEPTION 'slide group % is gone', p_group_id USING ERRCODE = 'P0002';
  END IF;
  PERFORM 1 FROM media_sessions WHERE id = grp.session_id FOR UPDATE;
  UPDATE slide_groups SET status = 'done', slide_count = p_slide_count, video_path = p_video_path
  WHERE id = p_group_id AND status = 'rendering'
  RETURNING * INTO grp;
  IF grp.id IS NULL THEN
    RAISE EXCEPTION 'slide group % is no longer rendering: another run marked it failed', p_group_id
      USING ERRCODE = 'P0001';
  END IF;
  UPDATE session_media_items i SET processed_file_path = p.value
  FROM jsonb_each_text(COALESCE(p_processed_paths, '{}')) p
  WHERE i.id = p.key::UUID AND i.session_id = grp.session_id AND i.id = ANY (grp.item_ids);
  UPDATE media_sessions s
  SET groups_created = s.groups_created + 1,
      consecutive_failures = 0,
      last_failed_at = NULL,
      exported_video_path = CASE
        WHEN p_exported_video_path IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM slide_groups g
          WHERE g.session_id = s.id AND g.status = 'done' AND g.group_number > grp.group_number
        ) THEN p_exported_video_path
        ELSE s.exported_video_path
      END
  WHERE s.id = grp.session_id
  RETURNING * INTO finished;
  RETURN finished;
END $$;

-- Failing, once: the flip from `rendering` is conditional, and only the run that flips it gives
-- the day's count back (if the count still holds the group's day, [p_day_start, p_day_end)),
-- counts the failure for the back-off and, when no later group was claimed, hands the items back
-- so the next group retries them. Null when the group was not rendering any more.
CREATE FUNCTION slides_fail_group(
  p_group_id UUID,
  p_reason TEXT,
  p_now TIMESTAMP WITH TIME ZONE,
  p_day_start TIMESTAMP WITH TIME ZONE,
  p_day_end TIMESTAMP WITH TIME ZONE
) RETURNS slide_groups
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  grp slide_groups;
  first_index INTEGER;
BEGIN
  SELECT * INTO grp FROM slide_groups WHERE id = p_group_id;
  IF grp.id IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM media_sessions WHERE id = grp.session_id FOR UPDATE;
  UPDATE slide_groups SET status = 'failed', error = p_reason
  WHERE id = p_group_id AND status = 'rendering'
  RETURNING * INTO grp;
  IF grp.id IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT o.index - 1 INTO first_index
  FROM (
    SELECT i.id, row_number() OVER (ORDER BY i.position, i.id) AS index
    FROM session_media_items i WHERE i.session_id = grp.session_id
  ) o
  WHERE o.id = grp.item_ids[1];
  UPDATE media_sessions s
  SET created_per_day = CASE
        WHEN s.created_per_day > 0 AND s.last_run_at >= p_day_start AND s.last_run_at < p_day_end
        THEN s.created_per_day - 1
        ELSE s.created_per_day
      END,
      consecutive_failures = s.consecutive_failures + 1,
      last_failed_at = p_now,
      next_position = CASE
        WHEN s.last_group_number = grp.group_number AND first_index IS NOT NULL THEN first_index
        ELSE s.next_position
      END
  WHERE s.id = grp.session_id;
  RETURN grp;
END $$;

-- `session edit` in one transaction: the items' new positions and captions (each change names the
-- keys it sets), the schedule settings given, and a fresh start for the back-off.
CREATE FUNCTION slides_edit_session(
  p_session_id UUID,
  p_items JSONB,
  p_settings JSONB
) RETURNS media_sessions
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  edited media_sessions;
BEGIN
  UPDATE media_sessions
  SET frequency = CASE WHEN p_settings ? 'frequency' THEN (p_settings->>'frequency')::INTEGER ELSE frequency END,
      max_per_day = CASE WHEN p_settings ? 'max_per_day' THEN (p_settings->>'max_per_day')::INTEGER ELSE max_per_day END,
      per_group = CASE WHEN p_settings ? 'per_group' THEN (p_settings->>'per_group')::INTEGER ELSE per_group END,
      consecutive_failures = 0,
      last_failed_at = NULL
  WHERE id = p_session_id
  RETURNING * INTO edited;
  IF edited.id IS NULL THEN
    RAISE EXCEPTION 'no session %', p_session_id USING ERRCODE = 'P0002';
  END IF;
  UPDATE session_media_items i
  SET position = CASE WHEN c ? 'position' THEN (c->>'position')::INTEGER ELSE i.position END,
      generated_caption = CASE WHEN c ? 'generated_caption' THEN c->>'generated_caption' ELSE i.generated_caption END
  FROM jsonb_array_elements(COALESCE(p_items, '[]')) c
  WHERE i.id = (c->>'id')::UUID AND i.session_id = p_session_id;
  RETURN edited;
END $$;

-- `files rm` in one transaction. Without p_force a file some session uses is refused (the
-- foreign key). With it, those items go first; each session they leave keeps its positions
-- gapless (0, 1, 2, …) and its next_position on the same next item.
CREATE FUNCTION slides_remove_source_files(
  p_ids JSONB,
  p_force BOOLEAN,
  OUT files_removed INTEGER,
  OUT items_removed INTEGER
)
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  ids UUID[] := ARRAY(SELECT jsonb_array_elements_text(COALESCE(p_ids, '[]'))::UUID);
  touched UUID[];
BEGIN
  items_removed := 0;
  IF p_force THEN
    touched := ARRAY(
      SELECT s.id FROM media_sessions s
      WHERE s.id IN (SELECT i.session_id FROM session_media_items i WHERE i.source_file_id = ANY (ids))
      ORDER BY s.id
      FOR UPDATE
    );
    -- next_position becomes the number of kept items before it, so it still names the same item.
    UPDATE media_sessions s
    SET next_position = CASE WHEN o.kept_count = 0 THEN 0 ELSE o.kept_before % o.kept_count END
    FROM (
      SELECT m.id,
             count(*) FILTER (WHERE x.keep AND x.index < m.next_position % GREATEST(x.total, 1)) AS kept_before,
             count(*) FILTER (WHERE x.keep) AS kept_count
      FROM media_sessions m
      JOIN (
        SELECT i.session_id,
               row_number() OVER (PARTITION BY i.session_id ORDER BY i.position, i.id) - 1 AS index,
               count(*) OVER (PARTITION BY i.session_id) AS total,
               NOT (i.source_file_id IS NOT NULL AND i.source_file_id = ANY (ids)) AS keep
        FROM session_media_items i WHERE i.session_id = ANY (touched)
      ) x ON x.session_id = m.id
      GROUP BY m.id
    ) o
    WHERE s.id = o.id;
    DELETE FROM session_media_items WHERE source_file_id = ANY (ids);
    GET DIAGNOSTICS items_removed = ROW_COUNT;
    UPDATE session_media_items i SET position = o.index
    FROM (
      SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY position, id) - 1 AS index
      FROM session_media_items WHERE session_id = ANY (touched)
    ) o
    WHERE i.id = o.id AND i.position IS DISTINCT FROM o.index;
  END IF;
  DELETE FROM source_files WHERE id = ANY (ids);
  GET DIAGNOSTICS files_removed = ROW_COUNT;
END $$;

GRANT EXECUTE ON FUNCTION slides_finish_group(UUID, INTEGER, TEXT, JSONB, TEXT) TO authenticated;
GRANT EXECUTE ON FUNCTION slides_fail_group(UUID, TEXT, TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE) TO authenticated;
GRANT EXECUTE ON FUNCTION slides_edit_session(UUID, JSONB, JSONB) TO authenticated;
GRANT EXECUTE ON FUNCTION slides_remove_source_files(JSONB, BOOLEAN) TO authenticated;
