-- 0007: a session keeps its look and its post text (issue 17), and music and fonts are files of
-- the project like photos, so any machine rendering the session renders it the same.

-- Music and font files live in the Sources bucket beside the photos and clips, content-addressed.
ALTER TABLE source_files DROP CONSTRAINT source_files_file_type_check;
ALTER TABLE source_files ADD CONSTRAINT source_files_file_type_check
  CHECK (file_type IN ('image', 'video', 'audio', 'font'));

-- A session's items are photos and clips only.
CREATE FUNCTION slides_item_source_is_media() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
BEGIN
  IF NEW.source_file_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM source_files f WHERE f.id = NEW.source_file_id AND f.file_type NOT IN ('image', 'video')
  ) THEN
    RAISE EXCEPTION 'source file % is not a photo or a clip', NEW.source_file_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER session_media_items_source_is_media
BEFORE INSERT OR UPDATE OF source_file_id ON session_media_items
FOR EACH ROW EXECUTE FUNCTION slides_item_source_is_media();

-- The look (src/services/render/look.ts is its schema: fields, values, defaults) and the post
-- (text, hashtags, publish mode and privacy) as the creator set them: only what was set is kept,
-- the rest comes from the config and the built-in defaults when the session renders.
ALTER TABLE media_sessions
  ADD COLUMN render_settings JSONB NOT NULL DEFAULT '{}'::jsonb
    CONSTRAINT media_sessions_render_settings_object CHECK (jsonb_typeof(render_settings) = 'object'),
  ADD COLUMN post_settings JSONB NOT NULL DEFAULT '{}'::jsonb
    CONSTRAINT media_sessions_post_settings_object CHECK (jsonb_typeof(post_settings) = 'object');

-- Creating a session takes its look and post settings in the same transaction.
DROP FUNCTION slides_create_session(INTEGER, INTEGER, INTEGER, JSONB, BOOLEAN);
CREATE FUNCTION slides_create_session(
  p_frequency INTEGER,
  p_max_per_day INTEGER,
  p_per_group INTEGER,
  p_items JSONB,
  p_replace_active BOOLEAN,
  p_render_settings JSONB DEFAULT '{}'::jsonb,
  p_post_settings JSONB DEFAULT '{}'::jsonb
) RETURNS media_sessions
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  created media_sessions;
BEGIN
  IF p_replace_active THEN
    UPDATE media_sessions SET is_active = FALSE WHERE user_id = auth.uid() AND is_active;
  END IF;
  INSERT INTO media_sessions (user_id, frequency, max_per_day, per_group, is_active, render_settings, post_settings)
  VALUES (auth.uid(), p_frequency, p_max_per_day, p_per_group, TRUE,
          COALESCE(p_render_settings, '{}'::jsonb), COALESCE(p_post_settings, '{}'::jsonb))
  RETURNING * INTO created;
  INSERT INTO session_media_items (session_id, source_file_id, position, generated_caption, media_type)
  SELECT created.id, (item->>'source_file_id')::UUID, (item->>'position')::INTEGER,
         item->>'generated_caption', item->>'media_type'
  FROM jsonb_array_elements(p_items) AS item;
  RETURN created;
END $$;
GRANT EXECUTE ON FUNCTION slides_create_session(INTEGER, INTEGER, INTEGER, JSONB, BOOLEAN, JSONB, JSONB) TO authenticated;

-- `session edit` also replaces the look and the post settings when p_settings names them.
CREATE OR REPLACE FUNCTION slides_edit_session(
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
      render_settings = CASE WHEN p_settings ? 'render_settings' THEN p_settings->'render_settings' ELSE render_settings END,
      post_settings = CASE WHEN p_settings ? 'post_settings' THEN p_settings->'post_settings' ELSE post_settings END,
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
