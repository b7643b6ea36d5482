-- Consultation rounds: time-boxed phases of a draft that decide who may edit, annotate, amend,
-- vote and send feedback. A draft's current phase is kept on the draft, changed only by the
-- scheduler's transitions (or by hand), each audited; NULL means no round has opened yet.

CREATE TABLE rounds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  phase text NOT NULL CHECK (phase IN ('drafting', 'review', 'consultation', 'voting', 'closed')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  instructions text NOT NULL DEFAULT '' CHECK (length(instructions) <= 5000),
  -- Whether observers may comment during this round.
  observers_comment boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- When the round actually became current, and when it ended (by its time or by hand).
  opened_at timestamptz,
  ended_at timestamptz,
  CHECK (ends_at IS NULL OR ends_at > starts_at),
  CHECK (ended_at IS NULL OR opened_at IS NOT NULL)
);
CREATE INDEX rounds_draft_idx ON rounds (draft_id, starts_at);
-- At most one current round per draft.
CREATE UNIQUE INDEX rounds_current_key ON rounds (draft_id) WHERE opened_at IS NOT NULL AND ended_at IS NULL;

ALTER TABLE drafts
  ADD COLUMN phase text CHECK (phase IN ('drafting', 'review', 'consultation', 'voting', 'closed')),
  ADD COLUMN round_id uuid REFERENCES rounds (id),
  ADD COLUMN observers_comment boolean NOT NULL DEFAULT false;
