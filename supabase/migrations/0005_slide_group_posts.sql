-- 0005: every post of a slide group to TikTok (DESIGN §9). A post is claimed in one transaction
-- (slides_claim_post) before any upload starts, so reruns and concurrent runs never post twice:
--   * one live post (claimed, uploading or processing) per group, platform and kind;
--   * one finished post (sent to the inbox or published) per group, platform, kind and round;
--     `slides publish --again` opens the next round, nothing else does.
-- A claim whose holder is gone (heartbeat older than the caller's lease) is taken over, never
-- duplicated; the taker first asks TikTok about the claim's publish_id before sending anything.
CREATE TABLE slide_group_posts (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  group_id UUID NOT NULL REFERENCES slide_groups(id) ON DELETE CASCADE,
  user_id UUID NOT NULL DEFAULT auth.uid() REFERENCES auth.users(id),
  platform TEXT NOT NULL DEFAULT 'tiktok' CHECK (platform IN ('tiktok')),
  kind TEXT NOT NULL CHECK (kind IN ('video', 'photos')),
  mode TEXT NOT NULL CHECK (mode IN ('draft', 'direct')),
  round INTEGER NOT NULL DEFAULT 1 CHECK (round > 0),
  status TEXT NOT NULL DEFAULT 'claimed'
    CHECK (status IN ('claimed', 'uploading', 'processing', 'sent_to_inbox', 'published', 'failed')),
  publish_id TEXT,
  fail_reason TEXT,
  tiktok_post_id TEXT,
  -- Who works on the claim now (one value per run) and when it last said it is alive.
  holder TEXT NOT NULL,
  heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts > 0),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  finished_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX slide_group_posts_one_live ON slide_group_posts (group_id, platform, kind)
  WHERE status IN ('claimed', 'uploading', 'processing');
CREATE UNIQUE INDEX slide_group_posts_one_finished ON slide_group_posts (group_id, platform, kind, round)
  WHERE status IN ('sent_to_inbox', 'published');
CREATE INDEX slide_group_posts_group ON slide_group_posts (group_id, created_at);

ALTER TABLE slide_group_posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their own slide group posts"
ON slide_group_posts FOR ALL
USING (auth.uid() = user_id)
WITH CHECK (auth.uid() = user_id AND auth.uid() = (SELECT user_id FROM slide_groups WHERE id = group_id));
GRANT ALL ON slide_group_posts TO authenticated;

-- Claims (or takes over) the post of a finished group in one transaction and returns the row:
--   * a live claim held by someone whose heartbeat is newer than p_stale_before is returned as is
--     (holder differs: the caller must not touch it);
--   * a live claim older than that is taken over (holder, heartbeat, attempts + 1);
--   * a finished post of the current round is returned as is unless p_again, which opens a round;
--   * otherwise a new claim is inserted.
CREATE FUNCTION slides_claim_post(
  p_group_id UUID,
  p_kind TEXT,
  p_mode TEXT,
  p_holder TEXT,
  p_now TIMESTAMP WITH TIME ZONE,
  p_stale_before TIMESTAMP WITH TIME ZONE,
  p_again BOOLEAN
) RETURNS slide_group_posts
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  grp slide_groups;
  post slide_group_posts;
  current_round INTEGER;
BEGIN
  SELECT * INTO grp FROM slide_groups WHERE id = p_group_id FOR UPDATE;
  IF grp.id IS NULL THEN
    RAISE EXCEPTION 'no such slide group %', p_group_id USING ERRCODE = 'P0002';
  END IF;
  IF grp.status <> 'done' THEN
    RAISE EXCEPTION 'slide group % is %, not done', p_group_id, grp.status USING ERRCODE = '22023';
  END IF;

  SELECT * INTO post FROM slide_group_posts
  WHERE group_id = p_group_id AND platform = 'tiktok' AND kind = p_kind
    AND status IN ('claimed', 'uploading', 'processing')
  FOR UPDATE;
  IF post.id IS NOT NULL THEN
    IF post.holder <> p_holder AND post.heartbeat_at >= p_stale_before THEN
      RETURN post;
    END IF;
    UPDATE slide_group_posts
    SET holder = p_holder, heartbeat_at = p_now, updated_at = p_now,
        attempts = attempts + CASE WHEN holder = p_holder THEN 0 ELSE 1 END
    WHERE id = post.id
    RETURNING * INTO post;
    RETURN post;
  END IF;

  SELECT COALESCE(MAX(round), 1) INTO current_round FROM slide_group_posts
  WHERE group_id = p_group_id AND platform = 'tiktok' AND kind = p_kind;
  SELECT * INTO post FROM slide_group_posts
  WHERE group_id = p_group_id AND platform = 'tiktok' AND kind = p_kind
    AND round = current_round AND status IN ('sent_to_inbox', 'published');
  IF post.id IS NOT NULL THEN
    IF NOT p_again THEN
      RETURN post;
    END IF;
    current_round := current_round + 1;
  END IF;

  INSERT INTO slide_group_posts (group_id, user_id, kind, mode, round, holder, heartbeat_at, created_at, updated_at)
  VALUES (p_group_id, grp.user_id, p_kind, p_mode, current_round, p_holder, p_now, p_now, p_now)
  RETURNING * INTO post;
  RETURN post;
END $$;

GRANT EXECUTE ON FUNCTION slides_claim_post(UUID, TEXT, TEXT, TEXT, TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE, BOOLEAN) TO authenticated;
