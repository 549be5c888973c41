-- 0006: a connected TikTok account (issue 16, the account side). The seed's tiktok_auth keeps
-- the tokens; the client encrypts them (AES-256-GCM, `tk1.<key id>.<iv>.<ciphertext>.<tag>`)
-- before they reach the database, and the database refuses anything else in those columns.
-- `scope` is TikTok's own comma-separated list, as the token endpoint returns it.
ALTER TABLE tiktok_auth
  ADD COLUMN refresh_expires_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN scope TEXT NOT NULL DEFAULT '',
  ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  ADD CONSTRAINT tiktok_auth_access_token_sealed CHECK (access_token IS NULL OR access_token LIKE 'tk1.%') NOT VALID,
  ADD CONSTRAINT tiktok_auth_refresh_token_sealed CHECK (refresh_token IS NULL OR refresh_token LIKE 'tk1.%') NOT VALID;

-- Connecting writes the account (profiles) and its tokens (tiktok_auth) together, so a
-- connect killed half-way never leaves an account without tokens or tokens without an account.
CREATE FUNCTION slides_save_tiktok_account(
  p_open_id TEXT,
  p_auth_data JSONB,
  p_access_token TEXT,
  p_refresh_token TEXT,
  p_expires_at TIMESTAMP WITH TIME ZONE,
  p_refresh_expires_at TIMESTAMP WITH TIME ZONE,
  p_scope TEXT
) RETURNS tiktok_auth
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  saved tiktok_auth;
BEGIN
  IF p_open_id IS NULL OR p_open_id = '' THEN
    RAISE EXCEPTION 'a TikTok account needs its open_id' USING ERRCODE = '22004';
  END IF;
  INSERT INTO profiles (id, tiktok_account_id, tiktok_auth_data)
  VALUES (auth.uid(), p_open_id, p_auth_data)
  ON CONFLICT (id) DO UPDATE SET tiktok_account_id = EXCLUDED.tiktok_account_id, tiktok_auth_data = EXCLUDED.tiktok_auth_data;
  INSERT INTO tiktok_auth (user_id, tiktok_account_id, access_token, refresh_token, expires_at, refresh_expires_at, scope, updated_at)
  VALUES (auth.uid(), p_open_id, p_access_token, p_refresh_token, p_expires_at, p_refresh_expires_at, p_scope, NOW())
  ON CONFLICT (user_id) DO UPDATE SET
    tiktok_account_id = EXCLUDED.tiktok_account_id,
    access_token = EXCLUDED.access_token,
    refresh_token = EXCLUDED.refresh_token,
    expires_at = EXCLUDED.expires_at,
    refresh_expires_at = EXCLUDED.refresh_expires_at,
    scope = EXCLUDED.scope,
    updated_at = NOW()
  RETURNING * INTO saved;
  RETURN saved;
END $$;

-- Disconnecting forgets the account and its tokens together, and only the account that was
-- read (a connect of another account in the meantime is left alone). Returns rows deleted.
CREATE FUNCTION slides_forget_tiktok_account(p_open_id TEXT) RETURNS INTEGER
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
DECLARE
  deleted INTEGER;
BEGIN
  DELETE FROM tiktok_auth WHERE user_id = auth.uid() AND tiktok_account_id = p_open_id;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  UPDATE profiles SET tiktok_account_id = NULL, tiktok_auth_data = NULL
  WHERE id = auth.uid() AND tiktok_account_id = p_open_id;
  RETURN deleted;
END $$;

GRANT EXECUTE ON FUNCTION slides_save_tiktok_account(TEXT, JSONB, TEXT, TEXT, TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE, TEXT) TO authenticated;
GRANT EXECUTE ON FUNCTION slides_forget_tiktok_account(TEXT) TO authenticated;
