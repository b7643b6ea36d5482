-- The interface speaks English and French. A person's language is a setting of their account:
-- null until they choose, when the browser's Accept-Language decides. A draft's language is its
-- text's own (set at creation): its lang attribute, the PDF's hyphenation, the editor's spelling.
ALTER TABLE users ADD COLUMN language text CHECK (language IN ('en', 'fr'));
ALTER TABLE drafts ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr'));
