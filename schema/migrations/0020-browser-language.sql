-- A person who lets their browser choose the interface's language (users.language is null) still
-- receives e-mail: it is written in the language their browser asked for when they last signed in.
ALTER TABLE users ADD COLUMN browser_language text CHECK (browser_language IN ('en', 'fr'));
