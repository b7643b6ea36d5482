-- Whether the public site shows a publication's square brackets (what was not yet agreed) or the
-- clean text of the first alternative of each. The secretariat chooses when publishing a version
-- that has open brackets; publications from before the choice keep showing their brackets.
ALTER TABLE publications ADD COLUMN brackets text NOT NULL DEFAULT 'bracketed' CHECK (brackets IN ('bracketed', 'clean'));
