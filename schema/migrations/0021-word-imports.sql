-- A Word file uploaded to Accord, kept while the person who sent it looks at what it becomes: a
-- file the secretariat starts a draft from (no draft yet), or a capital's marked-up copy of a draft
-- that a delegation turns into amendments. Only files that were read whole are kept, each for the
-- person who uploaded it; a file is deleted once used, when its uploader sends another, or a day later.
CREATE TABLE word_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  draft_id uuid REFERENCES drafts (id) ON DELETE CASCADE,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX word_imports_user ON word_imports (user_id);
