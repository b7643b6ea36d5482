-- A chaired session on a draft (called a meeting here, to keep it apart from sign-in sessions): the
-- secretariat opens it, walks the room through the text clause by clause, gives the floor to the
-- delegations that ask for it, and closes it; its summary record is then drafted as a draft of its own.
CREATE TABLE meetings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number > 0),
  kind text NOT NULL CHECK (kind IN ('formal', 'informal')),
  chair_id uuid NOT NULL REFERENCES users (id),
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'suspended', 'closed')),
  -- The chair's pointer: the clause the room is on (null before the first is taken up).
  clause_id text CHECK (clause_id IS NULL OR length(clause_id) <= 64),
  -- The longest an intervention may last, in seconds; null: no limit.
  speaking_limit_s integer CHECK (speaking_limit_s IS NULL OR speaking_limit_s BETWEEN 15 AND 3600),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  -- The summary record, drafted when the meeting closes.
  record_draft_id uuid REFERENCES drafts (id) ON DELETE SET NULL,
  record_state text CHECK (record_state IS NULL OR record_state IN ('drafted', 'circulated', 'final')),
  corrections_due timestamptz,
  record_version integer,
  UNIQUE (draft_id, number),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
-- One meeting at a time on a draft.
CREATE UNIQUE INDEX meetings_one_live ON meetings (draft_id) WHERE state <> 'closed';
CREATE UNIQUE INDEX meetings_record ON meetings (record_draft_id) WHERE record_draft_id IS NOT NULL;

-- The speakers' list: a delegation's request for the floor (or for a right of reply), in the
-- chair's order, and what became of it.
CREATE TABLE meeting_speakers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  delegation_code text NOT NULL REFERENCES delegations (code),
  requested_by uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('floor', 'reply')),
  position integer NOT NULL,
  state text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'speaking', 'spoken', 'withdrawn')),
  -- The clause the room was on when the delegation spoke.
  clause_id text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  given_at timestamptz,
  ended_at timestamptz
);
CREATE UNIQUE INDEX meeting_speakers_one_request ON meeting_speakers (meeting_id, delegation_code, kind) WHERE state = 'waiting';
CREATE UNIQUE INDEX meeting_speakers_one_speaking ON meeting_speakers (meeting_id) WHERE state = 'speaking';
CREATE INDEX meeting_speakers_meeting ON meeting_speakers (meeting_id, position);

-- What the chair did, in order: clauses taken up, suspensions, resumptions. The record reads it.
CREATE TABLE meeting_steps (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('opened', 'clause', 'suspended', 'resumed', 'closed')),
  clause_id text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_steps_meeting ON meeting_steps (meeting_id, id);

-- Who followed the meeting: each account seen connected to the draft while it was open.
CREATE TABLE meeting_attendance (
  meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  delegation_code text REFERENCES delegations (code),
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, user_id)
);
