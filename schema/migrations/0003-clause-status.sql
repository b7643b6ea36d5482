-- Where each clause of a draft stands, as the secretariat records it. A clause without a row is
-- pending. Clause ids are the stable ids in the text's clause nodes, so a status follows its clause
-- when clauses are renumbered or moved.

CREATE TABLE clause_statuses (
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  clause_id text NOT NULL CHECK (length(clause_id) BETWEEN 1 AND 64),
  status text NOT NULL CHECK (status IN ('agreed', 'agreed-ad-referendum', 'pending', 'reserved')),
  -- Delegation codes; a reservation names at least one, and only a reservation names any.
  reserving_delegations text[] NOT NULL DEFAULT '{}',
  set_by uuid REFERENCES users (id),
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (draft_id, clause_id),
  CHECK ((status = 'reserved') = (cardinality(reserving_delegations) > 0))
);
