-- Notifications of replies: the people already in a thread hear of each new reply to it.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications
  ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('mention', 'reply', 'motion-opened', 'motion-closing', 'motion-result', 'phase')),
  ADD CONSTRAINT notifications_reply_thread CHECK (kind <> 'reply' OR thread_id IS NOT NULL);
