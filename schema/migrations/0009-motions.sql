-- Motions and ballots: questions the secretariat puts to the delegations (adopt an amendment, agree
-- a clause, adopt a version), one ballot per delegation, and the result stored with its tally once
-- the motion closes. Notifications now also tell people of motions and phases, and each one is
-- written to the outbox as well.

CREATE TABLE motions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  -- M-1, M-2 … within the draft.
  number integer NOT NULL CHECK (number > 0),
  -- What is put to the vote: an amendment, a clause (by its stable id), or a version's adoption.
  subject text NOT NULL CHECK (subject IN ('amendment', 'clause', 'version')),
  amendment_id uuid REFERENCES amendments (id),
  clause_id text CHECK (length(clause_id) BETWEEN 1 AND 64),
  version_id uuid REFERENCES versions (id),
  rule text NOT NULL CHECK (rule IN ('consensus', 'majority', 'two-thirds')),
  -- How many delegations must cast a ballot (abstentions count).
  quorum integer NOT NULL CHECK (quorum BETWEEN 0 AND 8),
  deadline timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  put_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- When the "closing soon" reminder went to the delegations that had not voted.
  reminded_at timestamptz,
  -- The result, stored when the motion closes: the tally (with each delegation's ballot), the
  -- outcome and why, and how the motion came to close.
  tally jsonb,
  outcome text CHECK (outcome IN ('adopted', 'rejected', 'no-quorum')),
  reason text,
  closed_at timestamptz,
  closed_by text CHECK (closed_by IN ('deadline', 'secretariat')),
  closed_by_user uuid REFERENCES users (id),
  -- What applying the result did: 'applied', 'nothing' (nothing to apply), 'needs-confirmation'
  -- (an adopted amendment whose words changed since tabling), 'failed' (with a note).
  application text CHECK (application IN ('applied', 'nothing', 'needs-confirmation', 'failed')),
  application_note text NOT NULL DEFAULT '',
  UNIQUE (draft_id, number),
  CHECK ((subject = 'amendment') = (amendment_id IS NOT NULL)),
  CHECK ((subject = 'clause') = (clause_id IS NOT NULL)),
  CHECK ((subject = 'version') = (version_id IS NOT NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK (status = 'open' OR (tally IS NOT NULL AND outcome IS NOT NULL AND reason IS NOT NULL AND closed_by IS NOT NULL)),
  CHECK (closed_by IS DISTINCT FROM 'secretariat' OR closed_by_user IS NOT NULL)
);
CREATE INDEX motions_draft_idx ON motions (draft_id, number);
CREATE INDEX motions_open_deadline_idx ON motions (deadline) WHERE status = 'open';
-- One open motion at a time on the same amendment, clause or version.
CREATE UNIQUE INDEX motions_open_amendment_key ON motions (amendment_id) WHERE status = 'open';
CREATE UNIQUE INDEX motions_open_clause_key ON motions (draft_id, clause_id) WHERE status = 'open';
CREATE UNIQUE INDEX motions_open_version_key ON motions (version_id) WHERE status = 'open';

-- One ballot per delegation and motion; any head of the delegation casts, replaces or withdraws it.
CREATE TABLE ballots (
  motion_id uuid NOT NULL REFERENCES motions (id) ON DELETE CASCADE,
  delegation_code text NOT NULL REFERENCES delegations (code),
  choice text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
  -- The delegation's explanation of vote.
  explanation text NOT NULL DEFAULT '' CHECK (length(explanation) <= 2000),
  cast_by uuid NOT NULL REFERENCES users (id),
  cast_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (motion_id, delegation_code)
);

-- Notifications of every kind: a mention (on a thread), a motion opened, closing soon, or decided,
-- and a change of phase. Every notification names its draft.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications
  ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('mention', 'motion-opened', 'motion-closing', 'motion-result', 'phase')),
  ALTER COLUMN thread_id DROP NOT NULL,
  ADD COLUMN draft_id uuid REFERENCES drafts (id) ON DELETE CASCADE,
  ADD COLUMN motion_id uuid REFERENCES motions (id) ON DELETE CASCADE,
  ADD COLUMN phase text CHECK (phase IN ('drafting', 'review', 'consultation', 'voting', 'closed'));
UPDATE notifications n SET draft_id = t.draft_id FROM annotation_threads t WHERE t.id = n.thread_id;
ALTER TABLE notifications
  ALTER COLUMN draft_id SET NOT NULL,
  ADD CONSTRAINT notifications_mention_thread CHECK (kind <> 'mention' OR thread_id IS NOT NULL),
  ADD CONSTRAINT notifications_motion CHECK (kind NOT LIKE 'motion-%' OR motion_id IS NOT NULL),
  ADD CONSTRAINT notifications_phase CHECK (kind <> 'phase' OR phase IS NOT NULL);
-- A motion reminds each person once.
CREATE UNIQUE INDEX notifications_motion_closing_key ON notifications (motion_id, recipient_id) WHERE kind = 'motion-closing';
