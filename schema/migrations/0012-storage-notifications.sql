-- Notifications that a draft's stored text is near its budget, or has reached it (writing stops).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications
  ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('mention', 'reply', 'motion-opened', 'motion-closing', 'motion-result', 'phase', 'storage-near', 'storage-full'));
