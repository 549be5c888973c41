-- 0003: claiming a group is one transaction. The day's count (media_sessions) and the group's
-- `rendering` row (slide_groups) are written together, so a render killed at any moment leaves
-- either nothing or a row that the next render marks failed and whose count it gives back:
-- never a count without its row (DESIGN §7, "never a half-counted day").
CREATE FUNCTION slides_claim_group(
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
  grp slide_groups;
BEGIN
  UPDATE media_sessions
  SET created_per_day = p_created_per_day, last_run_at = p_now
  WHERE id = p_session_id
    AND last_run_at IS NOT DISTINCT FROM p_seen_last_run_at
    AND created_per_day = p_seen_created_per_day
    AND (is_active OR NOT p_require_active)
  RETURNING * INTO claimed;
  IF claimed.id IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO slide_groups (session_id, group_number, folder, status, created_at)
  VALUES (claimed.id, claimed.groups_created + 1, '', 'rendering', p_now)
  RETURNING * INTO grp;
  RETURN grp;
END $$;

GRANT EXECUTE ON FUNCTION slides_claim_group(UUID, TIMESTAMP WITH TIME ZONE, INTEGER, INTEGER, TIMESTAMP WITH TIME ZONE, BOOLEAN) TO authenticated;
