-- 0001: the product's original schema (shared/seeds/000_5797082fd3f5777d.txt), as given.
-- Two statements are made safe to re-run on a live Supabase project, nothing else changes:
-- the bucket insert skips an existing bucket, and RLS on storage.objects (owned by Supabase's
-- storage admin, where it is already on) is only switched on where it is off.

-- Enable the uuid-ossp extension for UUID generation
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

-- Create tables
CREATE TABLE profiles (
  id UUID PRIMARY KEY REFERENCES auth.users(id),
  tiktok_account_id VARCHAR,
  tiktok_auth_data JSONB
);

CREATE TABLE source_files (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  user_id UUID REFERENCES auth.users(id) NOT NULL,
  file_path TEXT NOT NULL,
  file_type TEXT CHECK (file_type IN ('image', 'video')) NOT NULL,
  uploaded_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

CREATE TABLE media_sessions (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  user_id UUID REFERENCES auth.users(id) NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  is_active BOOLEAN DEFAULT TRUE,
  frequency INTEGER,
  created_per_day INTEGER DEFAULT 0,
  last_run_at TIMESTAMP WITH TIME ZONE,
  max_per_day INTEGER,
  CHECK (frequency > 0)
);

CREATE TABLE session_media_items (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  session_id UUID REFERENCES media_sessions(id) NOT NULL,
  source_file_id UUID REFERENCES source_files(id),
  position INTEGER,
  generated_caption TEXT,
  processed_file_path TEXT,
  media_type TEXT CHECK (media_type IN ('image', 'video')) NOT NULL
);

CREATE TABLE user_settings (
  user_id UUID PRIMARY KEY REFERENCES auth.users(id),
  preference JSONB
);

CREATE TABLE tiktok_auth (
  user_id UUID PRIMARY KEY REFERENCES auth.users(id),
  tiktok_account_id VARCHAR,
  access_token TEXT,
  refresh_token TEXT,
  expires_at TIMESTAMP WITH TIME ZONE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

-- Enable Row Level Security (RLS) on all tables
ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE source_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE media_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_media_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tiktok_auth ENABLE ROW LEVEL SECURITY;

-- Create RLS policies
CREATE POLICY "Users can only access their own profile"
ON profiles FOR ALL USING (auth.uid() = id);

CREATE POLICY "Users can only access their own source files"
ON source_files FOR ALL USING (auth.uid() = user_id);

CREATE POLICY "Users can only access their own media sessions"
ON media_sessions FOR ALL USING (auth.uid() = user_id);

CREATE POLICY "Users can only access their own session media items"
ON session_media_items FOR ALL USING (auth.uid() = (SELECT user_id FROM media_sessions WHERE id = session_id));

CREATE POLICY "Users can only access their own settings"
ON user_settings FOR ALL USING (auth.uid() = user_id);

CREATE POLICY "Users can only access their own TikTok auth data"
ON tiktok_auth FOR ALL USING (auth.uid() = user_id);

-- Grant usage on these tables to the authenticated role
GRANT ALL ON profiles TO authenticated;
GRANT ALL ON source_files TO authenticated;
GRANT ALL ON media_sessions TO authenticated;
GRANT ALL ON session_media_items TO authenticated;
GRANT ALL ON user_settings TO authenticated;
GRANT ALL ON tiktok_auth TO authenticated;

ALTER TABLE session_media_items
ADD CONSTRAINT session_media_items_unique_constraint
UNIQUE (session_id, source_file_id, position);

-- Create the "Exports" bucket
INSERT INTO storage.buckets (id, name)
VALUES ('Exports', 'Exports')
ON CONFLICT (id) DO NOTHING;

-- Enable Row Level Security (RLS) on the bucket
DO $$
BEGIN
  IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.objects'::regclass) THEN
    ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
  END IF;
END $$;

-- Create a policy to allow authenticated users to upload files to their own folder
CREATE POLICY "Allow users to upload exports"
ON storage.objects FOR INSERT TO authenticated
WITH CHECK (
  bucket_id = 'Exports' AND
  auth.uid()::text = (storage.foldername(name))[1]
);

-- Create a policy to allow authenticated users to read their own files
CREATE POLICY "Allow users to read their exports"
ON storage.objects FOR SELECT TO authenticated
USING (
  bucket_id = 'Exports' AND
  auth.uid()::text = (storage.foldername(name))[1]
);

-- Create a policy to allow authenticated users to update their own files
CREATE POLICY "Allow users to update their exports"
ON storage.objects FOR UPDATE TO authenticated
USING (
  bucket_id = 'Exports' AND
  auth.uid()::text = (storage.foldername(name))[1]
);

-- Create a policy to allow authenticated users to delete their own files
CREATE POLICY "Allow users to delete their exports"
ON storage.objects FOR DELETE TO authenticated
USING (
  bucket_id = 'Exports' AND
  auth.uid()::text = (storage.foldername(name))[1]
);

ALTER TABLE media_sessions ADD COLUMN exported_video_path TEXT;
