-- 0002: hardening the seed schema for the CLI (DESIGN §5). Each change has a test in tests/db.

-- Rows are owned by whoever inserts them, so clients need not send user_id.
ALTER TABLE source_files ALTER COLUMN user_id SET DEFAULT auth.uid();
ALTER TABLE media_sessions ALTER COLUMN user_id SET DEFAULT auth.uid();
ALTER TABLE user_settings ALTER COLUMN user_id SET DEFAULT auth.uid();
ALTER TABLE tiktok_auth ALTER COLUMN user_id SET DEFAULT auth.uid();

-- One active session per user, enforced by the database (the seed left it to the application).
CREATE UNIQUE INDEX media_sessions_one_active_per_user ON media_sessions (user_id) WHERE is_active;

-- Schedule settings must make sense: positive, and a cap no lower than the frequency.
ALTER TABLE media_sessions
  ADD COLUMN per_group INTEGER CHECK (per_group > 0),
  ADD COLUMN next_position INTEGER NOT NULL DEFAULT 0 CHECK (next_position >= 0),
  ADD COLUMN groups_created INTEGER NOT NULL DEFAULT 0 CHECK (groups_created >= 0),
  ADD CONSTRAINT media_sessions_max_per_day_positive CHECK (max_per_day > 0),
  ADD CONSTRAINT media_sessions_max_covers_frequency CHECK (max_per_day >= frequency),
  ADD CONSTRAINT media_sessions_created_per_day_not_negative CHECK (created_per_day >= 0);

-- The seed's policy let a user attach another user's source file to their own session:
-- rows written must also point at a source file the user owns.
DROP POLICY "Users can only access their own session media items" ON session_media_items;
CREATE POLICY "Users can only access their own session media items"
ON session_media_items FOR ALL
USING (auth.uid() = (SELECT user_id FROM media_sessions WHERE id = session_id))
WITH CHECK (
  auth.uid() = (SELECT user_id FROM media_sessions WHERE id = session_id)
  AND (source_file_id IS NULL OR auth.uid() = (SELECT user_id FROM source_files WHERE id = source_file_id))
);

-- Uploads are content-addressed: the same bytes are one source file per user, whatever their name.
ALTER TABLE source_files
  ADD COLUMN sha256 TEXT CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN original_name TEXT,
  ADD COLUMN size_bytes BIGINT CHECK (size_bytes >= 0),
  ADD COLUMN width INTEGER CHECK (width > 0),
  ADD COLUMN height INTEGER CHECK (height > 0),
  ADD COLUMN duration_seconds DOUBLE PRECISION CHECK (duration_seconds >= 0),
  ADD COLUMN mime_type TEXT,
  ADD CONSTRAINT source_files_user_sha256_unique UNIQUE (user_id, sha256);

-- The Sources bucket holds uploads under <uid>/, with the same per-user policies as Exports.
INSERT INTO storage.buckets (id, name) VALUES ('Sources', 'Sources') ON CONFLICT (id) DO NOTHING;

CREATE POLICY "Allow users to upload sources"
ON storage.objects FOR INSERT TO authenticated
WITH CHECK (bucket_id = 'Sources' AND auth.uid()::text = (storage.foldername(name))[1]);

CREATE POLICY "Allow users to read their sources"
ON storage.objects FOR SELECT TO authenticated
USING (bucket_id = 'Sources' AND auth.uid()::text = (storage.foldername(name))[1]);

CREATE POLICY "Allow users to update their sources"
ON storage.objects FOR UPDATE TO authenticated
USING (bucket_id = 'Sources' AND auth.uid()::text = (storage.foldername(name))[1]);

CREATE POLICY "Allow users to delete their sources"
ON storage.objects FOR DELETE TO authenticated
USING (bucket_id = 'Sources' AND auth.uid()::text = (storage.foldername(name))[1]);

-- One row per rendered slide group: what was made, where, and whether it finished.
CREATE TABLE slide_groups (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  session_id UUID NOT NULL REFERENCES media_sessions(id) ON DELETE CASCADE,
  user_id UUID NOT NULL DEFAULT auth.uid() REFERENCES auth.users(id),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  group_number INTEGER NOT NULL CHECK (group_number > 0),
  folder TEXT NOT NULL,
  video_path TEXT,
  slide_count INTEGER NOT NULL DEFAULT 0 CHECK (slide_count >= 0),
  status TEXT NOT NULL DEFAULT 'rendering' CHECK (status IN ('rendering', 'done', 'failed')),
  error TEXT
);
CREATE INDEX slide_groups_session_created ON slide_groups (session_id, created_at);

ALTER TABLE slide_groups ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their own slide groups"
ON slide_groups FOR ALL
USING (auth.uid() = user_id)
WITH CHECK (auth.uid() = user_id AND auth.uid() = (SELECT user_id FROM media_sessions WHERE id = session_id));
GRANT ALL ON slide_groups TO authenticated;

-- Creating a session and making it the active one is one transaction: the previous active
-- session is switched off in the same statement that creates the new one and its items.
CREATE FUNCTION slides_create_session(
  p_frequency INTEGER,
  p_max_per_day INTEGER,
  p_per_group INTEGER,
  p_items JSONB,
  p_replace_active BOOLEAN
) RETURNS media_sessions
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  created media_sessions;
BEGIN
  IF p_replace_active THEN
    UPDATE media_sessions SET is_active = FALSE WHERE user_id = auth.uid() AND is_active;
  END IF;
  INSERT INTO media_sessions (user_id, frequency, max_per_day, per_group, is_active)
  VALUES (auth.uid(), p_frequency, p_max_per_day, p_per_group, TRUE)
  RETURNING * INTO created;
  INSERT INTO session_media_items (session_id, source_file_id, position, generated_caption, media_type)
  SELECT created.id, (item->>'source_file_id')::UUID, (item->>'position')::INTEGER,
         item->>'generated_caption', item->>'media_type'
  FROM jsonb_array_elements(p_items) AS item;
  RETURN created;
END $$;

-- Switching the active session is one transaction too.
CREATE FUNCTION slides_activate_session(p_session_id UUID) RETURNS media_sessions
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  activated media_sessions;
BEGIN
  UPDATE media_sessions SET is_active = FALSE
  WHERE user_id = auth.uid() AND is_active AND id <> p_session_id;
  UPDATE media_sessions SET is_active = TRUE WHERE id = p_session_id RETURNING * INTO activated;
  IF activated.id IS NULL THEN
    RAISE EXCEPTION 'no session %', p_session_id USING ERRCODE = 'P0002';
  END IF;
  RETURN activated;
END $$;

GRANT EXECUTE ON FUNCTION slides_create_session(INTEGER, INTEGER, INTEGER, JSONB, BOOLEAN) TO authenticated;
GRANT EXECUTE ON FUNCTION slides_activate_session(UUID) TO authenticated;
