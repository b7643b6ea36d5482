-- What a publication records beside its text: the amendments and the clauses' positions as they
-- stood when it was published (shown to the public named or as "a delegation", per publication).
-- Publications published before this keep an empty record.
ALTER TABLE publications ADD COLUMN record jsonb NOT NULL DEFAULT '{"amendments": [], "positions": []}'::jsonb;
