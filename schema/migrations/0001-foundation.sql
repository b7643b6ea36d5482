-- Delegations, people, sessions, invitations, drafts and the audit trail.

CREATE TABLE delegations (
  code text PRIMARY KEY CHECK (code ~ '^[a-z]{2}$'),
  name text NOT NULL UNIQUE,
  short_name text NOT NULL,
  flag text NOT NULL,
  colour text NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),
  position integer NOT NULL UNIQUE
);

INSERT INTO delegations (code, name, short_name, flag, colour, position) VALUES
  ('us', 'United States of America', 'United States', '🇺🇸', '#1f4e9c', 1),
  ('au', 'Australia', 'Australia', '🇦🇺', '#0f7a5a', 2),
  ('ca', 'Canada', 'Canada', '🇨🇦', '#b3261e', 3),
  ('dk', 'Denmark', 'Denmark', '🇩🇰', '#a3365a', 4),
  ('fr', 'France', 'France', '🇫🇷', '#3d4fb8', 5),
  ('nl', 'Netherlands', 'Netherlands', '🇳🇱', '#b35400', 6),
  ('no', 'Norway', 'Norway', '🇳🇴', '#6a3fa0', 7),
  ('uk', 'United Kingdom', 'United Kingdom', '🇬🇧', '#00626b', 8);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('secretariat', 'head', 'delegate', 'observer')),
  delegation_code text REFERENCES delegations (code),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Heads and delegates act for a delegation; the secretariat never does.
  CHECK ((role IN ('head', 'delegate')) = (delegation_code IS NOT NULL) OR role = 'observer')
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_delegation_idx ON users (delegation_code);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('secretariat', 'head', 'delegate', 'observer')),
  delegation_code text REFERENCES delegations (code),
  invited_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users (id),
  revoked_at timestamptz
);
CREATE INDEX invitations_created_idx ON invitations (created_at DESC);

-- Messages that a mail server would send; there is none, so they wait here.
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sign_in_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  address text NOT NULL,
  succeeded boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempts_email_idx ON sign_in_attempts (email, created_at);
CREATE INDEX sign_in_attempts_address_idx ON sign_in_attempts (address, created_at);

CREATE TABLE drafts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id uuid REFERENCES users (id),
  delegation_code text REFERENCES delegations (code),
  action text NOT NULL,
  target_type text,
  target_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC);

-- The audit trail is append-only.
CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
