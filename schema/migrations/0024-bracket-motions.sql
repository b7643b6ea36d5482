-- A motion may resolve a square bracket of the text: keep one of its alternatives, or drop the
-- passage. The bracket is named by its id (schema/brackets.ts); the alternative kept (null: the
-- passage goes), its words and its clause (null: the preamble) are kept as they were when the
-- motion was put, so that the motion says what it asked after the bracket has gone.
ALTER TABLE motions DROP CONSTRAINT motions_subject_check;
ALTER TABLE motions ADD CONSTRAINT motions_subject_check CHECK (subject IN ('amendment', 'clause', 'version', 'bracket'));
ALTER TABLE motions
  ADD COLUMN bracket_id text CHECK (bracket_id ~ '^b[0-9a-f]{12}$'),
  ADD COLUMN bracket_keep smallint CHECK (bracket_keep BETWEEN 0 AND 9),
  ADD COLUMN bracket_text text CHECK (length(bracket_text) <= 2000),
  ADD COLUMN bracket_clause_id text CHECK (length(bracket_clause_id) BETWEEN 1 AND 64),
  ADD CONSTRAINT motions_bracket_subject CHECK ((subject = 'bracket') = (bracket_id IS NOT NULL));
-- One open motion at a time on the same bracket.
CREATE UNIQUE INDEX motions_open_bracket_key ON motions (draft_id, bracket_id) WHERE status = 'open';
