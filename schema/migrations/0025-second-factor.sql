-- A second factor: passkeys (WebAuthn credentials), an authenticator app's codes (TOTP) and
-- single-use recovery codes; the roles the secretariat requires one of; and, on each session, how
-- it was signed in and when a second factor was last checked on it (for step-up).

-- The roles that must have a second factor. By default the secretariat and heads of delegation:
-- they publish and vote.
CREATE TABLE second_factor_roles (
  role text PRIMARY KEY CHECK (role IN ('secretariat', 'head', 'delegate', 'observer'))
);
INSERT INTO second_factor_roles (role) VALUES ('secretariat'), ('head');

-- A passkey: the credential's id (base64url) and public key (COSE), its signature counter, the
-- transports the browser reported, the name its owner gave it, and whether its owner may sign in
-- with it alone (a discoverable credential that verified its user).
CREATE TABLE passkeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id text NOT NULL UNIQUE CHECK (credential_id ~ '^[A-Za-z0-9_-]+$' AND length(credential_id) BETWEEN 16 AND 1400),
  public_key bytea NOT NULL CHECK (length(public_key) <= 2048),
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}' CHECK (cardinality(transports) <= 8),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  passwordless boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);

-- An authenticator app's key (encrypted with a key derived from SESSION_SECRET). A person has at
-- most one in use (confirmed) and one being set up; `last_counter` is the last time step accepted,
-- so that each code is accepted once.
CREATE TABLE totp_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  secret bytea NOT NULL CHECK (length(secret) <= 256),
  confirmed_at timestamptz,
  last_counter bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX totp_keys_confirmed_key ON totp_keys (user_id) WHERE confirmed_at IS NOT NULL;
CREATE UNIQUE INDEX totp_keys_pending_key ON totp_keys (user_id) WHERE confirmed_at IS NULL;

-- Recovery codes, hashed; each used once.
CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, code_hash)
);

-- A WebAuthn challenge handed out and not yet answered: answered once, within minutes.
CREATE TABLE webauthn_challenges (
  challenge text PRIMARY KEY CHECK (challenge ~ '^[A-Za-z0-9_-]{16,128}$'),
  purpose text NOT NULL CHECK (purpose IN ('register', 'sign-in', 'passwordless', 'step-up')),
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expiry_idx ON webauthn_challenges (expires_at);

-- A sign-in whose password was right and whose second factor is still to come.
CREATE TABLE pending_sign_ins (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX pending_sign_ins_user_idx ON pending_sign_ins (user_id);

ALTER TABLE sessions
  ADD COLUMN auth_method text NOT NULL DEFAULT 'password'
    CHECK (auth_method IN ('password', 'password+passkey', 'password+totp', 'password+recovery', 'passkey')),
  ADD COLUMN second_factor_at timestamptz;

-- Second-factor codes are throttled per account like passwords.
ALTER TABLE sign_in_throttle DROP CONSTRAINT sign_in_throttle_kind_check;
ALTER TABLE sign_in_throttle ADD CONSTRAINT sign_in_throttle_kind_check
  CHECK (kind IN ('account', 'address', 'known-device', 'known-address', 'second-factor'));
