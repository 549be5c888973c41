-- 0008: a slide group rendered to be published (DESIGN §9). `slides run --due --publish` writes the
-- mode while the group renders, before anything is sent, so a publish that fails, or a run that dies
-- between the render and the upload, leaves the group findable: the next `slides run --due --publish`
-- publishes it without rendering again. NULL: nobody asked (groups of `slides render`).
ALTER TABLE slide_groups ADD COLUMN publish_mode TEXT CHECK (publish_mode IN ('draft', 'direct'));
CREATE INDEX slide_groups_publish_wanted ON slide_groups (session_id, created_at) WHERE publish_mode IS NOT NULL;
