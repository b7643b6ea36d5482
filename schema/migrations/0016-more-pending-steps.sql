-- Work that must finish, beyond a motion's result: an amendment's adoption (claimed, then the text
-- edited, then recorded) and the version a change of phase keeps. Each kind names its subject.
ALTER TABLE pending_steps DROP CONSTRAINT pending_steps_kind_check;
ALTER TABLE pending_steps ADD CONSTRAINT pending_steps_kind_check
  CHECK (kind IN ('motion-result', 'amendment-adoption', 'phase-version'));
ALTER TABLE pending_steps ALTER COLUMN motion_id DROP NOT NULL;
ALTER TABLE pending_steps ADD COLUMN amendment_id uuid REFERENCES amendments (id) ON DELETE CASCADE;
-- What the step needs to run that its subject does not say (who adopted, the version's name).
ALTER TABLE pending_steps ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
ALTER TABLE pending_steps ADD CONSTRAINT pending_steps_subject CHECK (
  CASE kind
    WHEN 'motion-result' THEN motion_id IS NOT NULL AND amendment_id IS NULL
    WHEN 'amendment-adoption' THEN amendment_id IS NOT NULL AND motion_id IS NULL
    ELSE motion_id IS NULL AND amendment_id IS NULL
  END);
-- An amendment has at most one adoption under way.
CREATE UNIQUE INDEX pending_steps_adoption ON pending_steps (amendment_id) WHERE kind = 'amendment-adoption' AND done_at IS NULL;

-- What a version saved by a step was saved for (the step's own key): saving it again finds it, so a
-- step retried after a crash never keeps the same text twice.
ALTER TABLE versions ADD COLUMN origin text CHECK (length(origin) <= 200);
CREATE UNIQUE INDEX versions_origin ON versions (draft_id, origin) WHERE origin IS NOT NULL;
