-- Versions: immutable snapshots of a draft's text, numbered per draft; and publications: the
-- versions the secretariat puts before the public. Neither ever changes: a correction is a new
-- version, or a new publication.

CREATE TABLE versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id),
  -- v1, v2 … within the draft.
  number integer NOT NULL CHECK (number > 0),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  -- 'manual': saved by a person; 'phase': when a round changed phase; 'adopted': when a motion
  -- adopted the text; 'restore-point': the text as it stood just before a restore.
  kind text NOT NULL CHECK (kind IN ('manual', 'phase', 'adopted', 'restore-point')),
  -- Null for versions saved automatically.
  author_id uuid REFERENCES users (id),
  delegation_code text REFERENCES delegations (code),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The Yjs state of the text, its canonical ProseMirror JSON, the HTML rendered from that JSON,
  -- and the SHA-256 (hex) of the canonical JSON serialisation in UTF-8.
  yjs_state bytea NOT NULL,
  content jsonb NOT NULL,
  html text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  UNIQUE (draft_id, number),
  -- Lets a publication name a version of its own draft.
  UNIQUE (id, draft_id),
  CHECK (kind <> 'manual' OR author_id IS NOT NULL)
);

CREATE TABLE publications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id),
  version_id uuid NOT NULL UNIQUE,
  public_title text NOT NULL CHECK (length(public_title) BETWEEN 1 AND 200),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  -- "Consultation draft", "Adopted text" …
  status_label text NOT NULL CHECK (length(status_label) BETWEEN 1 AND 100),
  -- How amendments and positions appear in public views: "a delegation", or named.
  attribution text NOT NULL CHECK (attribution IN ('anonymous', 'named')),
  published_by uuid NOT NULL REFERENCES users (id),
  published_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (version_id, draft_id) REFERENCES versions (id, draft_id)
);
CREATE INDEX publications_draft_idx ON publications (draft_id, published_at DESC);

-- Versions and publications are immutable.
CREATE FUNCTION versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is immutable', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER versions_no_change BEFORE UPDATE OR DELETE ON versions
  FOR EACH ROW EXECUTE FUNCTION versions_are_immutable();
CREATE TRIGGER publications_no_change BEFORE UPDATE OR DELETE ON publications
  FOR EACH ROW EXECUTE FUNCTION versions_are_immutable();
