-- A delegation's private threads must leave no trace that the secretariat or another delegation
-- can read. Their audit rows stay on the record (who did what, when) but carry the delegation they
-- are private to; every query of the trail leaves them out for anyone who does not act for it.
ALTER TABLE audit_events ADD COLUMN private_to_delegation text REFERENCES delegations (code);

-- Rows written before this column existed: mark those about a private thread or one of its
-- comments. The trail is append-only by trigger; this one correction is made with it off, inside
-- the migration's transaction, and it is switched back on before anything else can write.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
UPDATE audit_events a SET private_to_delegation = t.delegation_code
FROM annotation_threads t
WHERE t.visibility = 'delegation' AND t.delegation_code IS NOT NULL AND (
  (a.target_type = 'thread' AND a.target_id = t.id::text)
  OR a.details->>'threadId' = t.id::text
  OR (a.target_type = 'comment' AND a.target_id IN (SELECT c.id::text FROM annotation_comments c WHERE c.thread_id = t.id))
);
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;

CREATE INDEX audit_events_private_idx ON audit_events (private_to_delegation) WHERE private_to_delegation IS NOT NULL;
