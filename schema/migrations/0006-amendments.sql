-- Amendments: formal proposals to change a range of a draft's text (replace, insert or delete),
-- tabled by a delegation, numbered per draft (A-1, A-2 …), co-sponsored by other delegations and
-- decided by the secretariat. Rows written through authorised actions, like annotations; an
-- adopted amendment changes the text through the collaboration server.

-- The last number given to an amendment of each draft. Taking the next one updates this row,
-- which locks it until the tabling transaction ends: two delegations tabling at once get two numbers.
CREATE TABLE amendment_numbers (
  draft_id uuid PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
  last_number integer NOT NULL CHECK (last_number > 0)
);

CREATE TABLE amendments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number > 0),
  kind text NOT NULL CHECK (kind IN ('replace', 'insert', 'delete')),
  -- Yjs relative positions (JSON) of the start and end of the range in the XmlFragment; an
  -- insertion is anchored at a point, its start and end the same position.
  anchor_start jsonb NOT NULL,
  anchor_end jsonb NOT NULL,
  -- The text the range held when the amendment was tabled (empty for an insertion).
  quote text NOT NULL CHECK (length(quote) <= 10000),
  -- The text proposed instead (empty for a deletion); plain text, one paragraph.
  proposed text NOT NULL CHECK (length(proposed) <= 5000 AND position(E'\n' IN proposed) = 0),
  rationale text NOT NULL CHECK (length(btrim(rationale)) BETWEEN 1 AND 5000),
  author_id uuid NOT NULL REFERENCES users (id),
  -- The tabling delegation: amendments are tabled by a delegation, never by the secretariat.
  delegation_code text NOT NULL REFERENCES delegations (code),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'withdrawn', 'adopted', 'rejected')),
  -- Who withdrew, adopted or rejected it, and when.
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (draft_id, number),
  CHECK ((kind = 'insert') = (quote = '')),
  CHECK ((kind = 'delete') = (proposed = '')),
  CHECK ((status = 'open') = (decided_at IS NULL)),
  CHECK ((decided_at IS NULL) = (decided_by IS NULL))
);
CREATE INDEX amendments_draft_idx ON amendments (draft_id, number);

-- Delegations that support an amendment besides the one that tabled it.
CREATE TABLE amendment_cosponsors (
  amendment_id uuid NOT NULL REFERENCES amendments (id) ON DELETE CASCADE,
  delegation_code text NOT NULL REFERENCES delegations (code),
  added_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (amendment_id, delegation_code)
);
