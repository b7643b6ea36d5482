-- No English stored as data. What the server itself writes for people to read — the name of a
-- version it saves (at a change of phase, on an adoption by motion, before a restore), the note on
-- applying a motion's result, why a pending step last failed — is stored as a message: a key of the
-- interface catalogue (i18n/en/*.ts) and its parameters, translated where it is shown, in the
-- reader's language. What people typed (a version they named, a round's name inside a version's
-- name) stays the text they typed.
--
-- In a table a message is two columns, `<what>_key` (text) and `<what>_params` (a JSON object of
-- strings and numbers), rather than one JSON value: the key is plain text, which a CHECK holds to
-- the keys the code writes and which reads without unpacking, and a version's typed name keeps its
-- own column beside it (exactly one of the two is set). Inside a JSON record that is free-form
-- already (a pending step's details) a message is the object {"key": …, "params": {…}}.
--
-- Rows written before are converted by reading the English the previous release wrote back into
-- keys and parameters. A version name that matches none of its patterns stays as it is, as typed
-- text; a note or reason that matches none is the text of an unexpected error (a database or
-- collaboration failure), kept whole as the detail of "error.unexpected".
--
-- A migration keeps the previous release working until every instance runs this one (a rolling
-- upgrade, deploy/README.md): the old columns stay (`application_note`, `last_error`; `name` may now
-- be null), and triggers convert what an instance of the previous release still writes in English,
-- with the same functions as the rows below. A later migration may drop them once none can run.
--
-- The audit trail is not rewritten: it is the record of what was written, append-only (0001), and
-- its details are structured values, not summaries; the English in older rows (a version's name, a
-- motion's note, copied into them) is what was recorded then. New rows record messages.

-- The message the previous release meant by a version name it made, or null (a name it did not make).
CREATE FUNCTION english_version_name_as_message(kind text, name text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  -- The phase names the previous release wrote (server/auth/phases.ts), to the phases' codes.
  phases constant jsonb := '{"drafting": "drafting", "delegation review": "review", "public consultation": "consultation", "voting": "voting", "closed": "closed"}';
  parts text[];
BEGIN
  IF kind = 'phase' THEN
    parts := regexp_match(name, '^Start of (drafting|delegation review|public consultation|voting|closed): (.+)$');
    IF parts IS NOT NULL THEN
      RETURN jsonb_build_object('key', 'versionName.phaseStarted', 'params', jsonb_build_object('phase', phases ->> parts[1], 'round', parts[2]));
    END IF;
    parts := regexp_match(name, '^Phase changed to (drafting|delegation review|public consultation|voting|closed)$');
    IF parts IS NOT NULL THEN
      RETURN jsonb_build_object('key', 'versionName.phaseChanged', 'params', jsonb_build_object('phase', phases ->> parts[1]));
    END IF;
    IF name = 'Rounds ended: closed' THEN RETURN '{"key": "versionName.roundsEnded", "params": {}}'; END IF;
    IF name = 'Phase changed' THEN RETURN '{"key": "versionName.phaseChange", "params": {}}'; END IF;
  ELSIF kind = 'adopted' THEN
    parts := regexp_match(name, '^A-([0-9]{1,9}) adopted by motion M-([0-9]{1,9})$');
    IF parts IS NOT NULL THEN
      RETURN jsonb_build_object('key', 'versionName.adoptedByMotion', 'params', jsonb_build_object('amendment', parts[1]::integer, 'motion', parts[2]::integer));
    END IF;
  ELSIF kind = 'restore-point' THEN
    parts := regexp_match(name, '^Before restoring v([0-9]{1,9})$');
    IF parts IS NOT NULL THEN
      RETURN jsonb_build_object('key', 'versions.restorePointName', 'params', jsonb_build_object('number', parts[1]::integer));
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

-- The message the previous release meant by a motion's note or a step's reason; null for none.
CREATE FUNCTION english_note_as_message(note text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  -- The notes the previous release wrote (i18n/en/motions.ts, its domain errors), to their keys.
  known constant jsonb := '{
    "The motion''s author was not found.": "error.motion.authorMissing",
    "The amendment was not found.": "motions.application.amendmentMissing",
    "The clause is no longer in the text.": "motions.application.clauseMissing",
    "The words changed since tabling; the secretariat must confirm.": "motions.application.changed",
    "the amendment''s change could not be stored, so the amendment is still open; the secretariat may adopt it by hand.": "motions.application.notStored",
    "The text the amendment changes has been deleted.": "error.amendment.textDeleted",
    "The text the amendment changes no longer lies within one paragraph.": "error.amendment.textSplit",
    "Another attempt is finishing this adoption.": "error.amendment.adoptionBusy"
  }';
  parts text[];
BEGIN
  IF note IS NULL OR note = '' THEN RETURN NULL; END IF;
  IF known ->> note IS NOT NULL THEN
    RETURN jsonb_build_object('key', known ->> note, 'params', '{}'::jsonb);
  END IF;
  parts := regexp_match(note, '^The amendment is already (open|withdrawn|adopted|rejected)\.$');
  IF parts IS NOT NULL THEN
    RETURN jsonb_build_object('key', 'error.amendment.closed', 'params', jsonb_build_object('status', parts[1]));
  END IF;
  RETURN jsonb_build_object('key', 'error.unexpected', 'params', jsonb_build_object('detail', note));
END;
$$;

-- Versions: a typed name, or the server's name as a message.
ALTER TABLE versions
  ALTER COLUMN name DROP NOT NULL,
  ADD COLUMN name_key text CHECK (name_key IN (
    'versionName.phaseStarted', 'versionName.phaseChanged', 'versionName.roundsEnded', 'versionName.phaseChange',
    'versionName.adoptedByMotion', 'versions.restorePointName')),
  ADD COLUMN name_params jsonb CHECK (jsonb_typeof(name_params) = 'object'),
  ADD CONSTRAINT versions_name_typed_or_made CHECK ((name IS NULL) <> (name_key IS NULL) AND (name_key IS NULL) = (name_params IS NULL)),
  -- A version a person saved keeps the name they typed.
  ADD CONSTRAINT versions_name_made_by_server CHECK (name_key IS NULL OR kind <> 'manual');

-- Versions never change; this one change of how their names are stored is made with the guard
-- off, inside the migration's transaction, and it is on again before anything else can write.
ALTER TABLE versions DISABLE TRIGGER versions_no_change;
UPDATE versions v SET name = NULL, name_key = made.message ->> 'key', name_params = made.message -> 'params'
FROM (SELECT id, english_version_name_as_message(kind, name) AS message FROM versions WHERE kind <> 'manual') made
WHERE v.id = made.id AND made.message IS NOT NULL;
ALTER TABLE versions ENABLE TRIGGER versions_no_change;

CREATE FUNCTION versions_name_as_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  made jsonb;
BEGIN
  IF NEW.name_key IS NULL AND NEW.kind <> 'manual' THEN
    made := english_version_name_as_message(NEW.kind, NEW.name);
    IF made IS NOT NULL THEN
      NEW.name := NULL;
      NEW.name_key := made ->> 'key';
      NEW.name_params := made -> 'params';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER versions_name_as_message BEFORE INSERT ON versions
  FOR EACH ROW EXECUTE FUNCTION versions_name_as_message();

-- Motions: what applying the result ran into.
ALTER TABLE motions
  ADD COLUMN application_note_key text,
  ADD COLUMN application_note_params jsonb CHECK (jsonb_typeof(application_note_params) = 'object'),
  ADD CONSTRAINT motions_application_note_message CHECK ((application_note_key IS NULL) = (application_note_params IS NULL));
UPDATE motions SET
  application_note_key = english_note_as_message(application_note) ->> 'key',
  application_note_params = english_note_as_message(application_note) -> 'params',
  application_note = ''
WHERE application_note <> '';

CREATE FUNCTION motions_note_as_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  note jsonb := english_note_as_message(NEW.application_note);
BEGIN
  NEW.application_note_key := note ->> 'key';
  NEW.application_note_params := note -> 'params';
  NEW.application_note := '';
  RETURN NEW;
END;
$$;
-- Only the previous release writes this column.
CREATE TRIGGER motions_note_as_message BEFORE UPDATE OF application_note ON motions
  FOR EACH ROW EXECUTE FUNCTION motions_note_as_message();

-- Pending steps: why the last attempt failed, and the name of the version a change of phase keeps.
ALTER TABLE pending_steps
  ADD COLUMN last_error_key text,
  ADD COLUMN last_error_params jsonb CHECK (jsonb_typeof(last_error_params) = 'object'),
  ADD CONSTRAINT pending_steps_last_error_message CHECK ((last_error_key IS NULL) = (last_error_params IS NULL));
UPDATE pending_steps SET
  last_error_key = english_note_as_message(last_error) ->> 'key',
  last_error_params = english_note_as_message(last_error) -> 'params',
  last_error = ''
WHERE last_error <> '';
UPDATE pending_steps SET details = jsonb_set(details, '{name}', english_version_name_as_message('phase', details ->> 'name'))
WHERE kind = 'phase-version' AND jsonb_typeof(details -> 'name') = 'string'
  AND english_version_name_as_message('phase', details ->> 'name') IS NOT NULL;

CREATE FUNCTION pending_steps_as_messages() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  made jsonb;
BEGIN
  IF TG_OP = 'UPDATE' OR NEW.last_error <> '' THEN
    made := english_note_as_message(NEW.last_error);
    NEW.last_error_key := made ->> 'key';
    NEW.last_error_params := made -> 'params';
    NEW.last_error := '';
  END IF;
  IF NEW.kind = 'phase-version' AND jsonb_typeof(NEW.details -> 'name') = 'string' THEN
    made := english_version_name_as_message('phase', NEW.details ->> 'name');
    IF made IS NOT NULL THEN NEW.details := jsonb_set(NEW.details, '{name}', made); END IF;
  END IF;
  RETURN NEW;
END;
$$;
-- Only the previous release writes `last_error`, or a step's details with a name in English.
CREATE TRIGGER pending_steps_as_messages BEFORE INSERT OR UPDATE OF last_error ON pending_steps
  FOR EACH ROW EXECUTE FUNCTION pending_steps_as_messages();
