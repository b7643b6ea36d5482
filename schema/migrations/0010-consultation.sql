-- Public consultation: the published version a consultation round opens to the public, the
-- feedback the public sends on it, its moderation and the secretariat's answers (the disposition
-- table), and which disposition tables are published.

-- A round, submission or published disposition table names a published version of its own draft.
ALTER TABLE publications ADD CONSTRAINT publications_version_draft_key UNIQUE (version_id, draft_id);

-- The version open to feedback during a consultation round (the rounds module requires one for
-- every consultation round it schedules).
ALTER TABLE rounds
  ADD COLUMN version_id uuid,
  ADD CONSTRAINT rounds_version_fkey FOREIGN KEY (version_id, draft_id) REFERENCES publications (version_id, draft_id),
  ADD CONSTRAINT rounds_version_phase CHECK (version_id IS NULL OR phase = 'consultation');

CREATE TABLE submissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id),
  version_id uuid NOT NULL,
  round_id uuid NOT NULL REFERENCES rounds (id),
  -- The clause commented on (its stable id); null for the text as a whole.
  clause_id text CHECK (clause_id IS NULL OR length(clause_id) BETWEEN 1 AND 100),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  organisation text NOT NULL DEFAULT '' CHECK (length(organisation) <= 200),
  sector text NOT NULL CHECK (sector IN ('academia', 'industry', 'civil-society', 'other')),
  -- Private: for the secretariat alone, never shown publicly or exported.
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  comment text NOT NULL CHECK (length(comment) BETWEEN 1 AND 5000),
  -- Whether the sender agreed to their name and organisation being published.
  publish_name boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'spam')),
  moderated_by uuid REFERENCES users (id),
  moderated_at timestamptz,
  disposition text CHECK (disposition IN ('accepted', 'partly', 'not-taken-on')),
  disposition_reason text NOT NULL DEFAULT '' CHECK (length(disposition_reason) <= 5000),
  answered_by uuid REFERENCES users (id),
  answered_at timestamptz,
  -- A keyed pseudonym of the sender's address, for the rate limit: never the address itself.
  sender_address text NOT NULL CHECK (length(sender_address) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (version_id, draft_id) REFERENCES publications (version_id, draft_id),
  CHECK ((status = 'pending') = (moderated_at IS NULL)),
  -- Only accepted submissions are answered.
  CHECK (disposition IS NULL OR status = 'accepted'),
  CHECK ((disposition IS NULL) = (answered_at IS NULL))
);
CREATE INDEX submissions_draft_idx ON submissions (draft_id, status, created_at);
CREATE INDEX submissions_sender_idx ON submissions (sender_address, created_at);

-- The disposition tables the secretariat has put on the public site, one per published version.
CREATE TABLE disposition_publications (
  version_id uuid PRIMARY KEY,
  draft_id uuid NOT NULL,
  published_by uuid NOT NULL REFERENCES users (id),
  published_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (version_id, draft_id) REFERENCES publications (version_id, draft_id)
);
