-- Where each draft's update log ends. An append takes its sequence numbers here, in the statement
-- that inserts the updates: the row is locked until that statement commits, so appends to one draft
-- from any number of instances commit one after another in the order of their numbers, and the log
-- never has a gap. A draft gets its row with its first append.
CREATE TABLE draft_log_heads (
  draft_id uuid PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
  last_seq bigint NOT NULL CHECK (last_seq >= 0)
);

INSERT INTO draft_log_heads (draft_id, last_seq)
SELECT d.id, greatest(coalesce((SELECT max(seq) FROM draft_updates u WHERE u.draft_id = d.id), 0),
                      coalesce((SELECT upto_seq FROM draft_checkpoints c WHERE c.draft_id = d.id), 0))
FROM drafts d
WHERE EXISTS (SELECT 1 FROM draft_updates u WHERE u.draft_id = d.id)
   OR EXISTS (SELECT 1 FROM draft_checkpoints c WHERE c.draft_id = d.id AND c.upto_seq > 0);
