-- Work that must finish: a step still to do after a first step was committed, written in the same
-- transaction as that first step and retried until done (a motion closed → its result applied and
-- announced). A row stays after it is done, so that the step is never done twice.
CREATE TABLE pending_steps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('motion-result')),
  motion_id uuid NOT NULL REFERENCES motions (id) ON DELETE CASCADE,
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text NOT NULL DEFAULT '',
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- Whoever is running the step holds it until then; a process that died holding it frees it by time.
  claimed_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  UNIQUE (kind, motion_id)
);

CREATE INDEX pending_steps_due ON pending_steps (next_attempt_at) WHERE done_at IS NULL;
CREATE INDEX pending_steps_draft ON pending_steps (draft_id) WHERE done_at IS NULL;
