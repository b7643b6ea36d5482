-- Annotations: comment threads anchored to a range of a draft's text, their comments, and the
-- notifications that mentions of a delegation send. Threads are rows written through authorised
-- actions, never state inside the shared Yjs document that any editor could overwrite.

CREATE TABLE annotation_threads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  -- 'all': every delegation and the secretariat; 'delegation': only the author's delegation.
  visibility text NOT NULL CHECK (visibility IN ('all', 'delegation')),
  author_id uuid NOT NULL REFERENCES users (id),
  delegation_code text REFERENCES delegations (code),
  -- Yjs relative positions (JSON) of the start and end of the range in the XmlFragment.
  anchor_start jsonb NOT NULL,
  anchor_end jsonb NOT NULL,
  quote text NOT NULL CHECK (length(quote) BETWEEN 1 AND 10000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_by uuid REFERENCES users (id),
  resolved_at timestamptz,
  -- Set when the anchored text was deleted: the thread is kept, with its quote.
  detached_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A private thread belongs to a delegation.
  CHECK (visibility = 'all' OR delegation_code IS NOT NULL),
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX annotation_threads_draft_idx ON annotation_threads (draft_id, created_at);

CREATE TABLE annotation_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  thread_id uuid NOT NULL REFERENCES annotation_threads (id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users (id),
  delegation_code text REFERENCES delegations (code),
  body text NOT NULL CHECK (length(body) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  edited_at timestamptz,
  -- A deleted comment keeps its place in the thread; its text is erased.
  deleted_at timestamptz,
  CHECK (deleted_at IS NOT NULL OR length(btrim(body)) > 0)
);
CREATE INDEX annotation_comments_thread_idx ON annotation_comments (thread_id, created_at);

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('mention')),
  thread_id uuid NOT NULL REFERENCES annotation_threads (id) ON DELETE CASCADE,
  comment_id uuid REFERENCES annotation_comments (id) ON DELETE CASCADE,
  actor_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC);
