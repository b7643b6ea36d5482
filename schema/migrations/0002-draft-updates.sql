-- The co-edited text: every Yjs update, with who made it, and checkpoints that bound load time.

CREATE TABLE draft_updates (
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  seq bigint NOT NULL CHECK (seq > 0),
  update bytea NOT NULL,
  user_id uuid REFERENCES users (id),
  delegation_code text REFERENCES delegations (code),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (draft_id, seq)
);

-- The whole document as of `upto_seq`; loading reads it and the updates after it.
-- The updates themselves are kept: they are the draft's edit history.
CREATE TABLE draft_checkpoints (
  draft_id uuid PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
  state bytea NOT NULL,
  upto_seq bigint NOT NULL CHECK (upto_seq >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
