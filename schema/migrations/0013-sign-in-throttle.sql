-- Sign-in throttling that parallel guesses cannot race, and known devices that keep the owner in.

-- One row per throttled key: an account (failures from places it was never signed in from), an
-- address (across accounts), or a place the account's owner has signed in from before (a known
-- device or address, with its own budget). An attempt reserves its place here, under the row's
-- lock, before the password is checked; refused attempts only bump `refused`, never add a row.
CREATE TABLE sign_in_throttle (
  kind text NOT NULL CHECK (kind IN ('account', 'address', 'known-device', 'known-address')),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 600),
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  window_started timestamptz NOT NULL DEFAULT now(),
  blocked_until timestamptz,
  strikes integer NOT NULL DEFAULT 0 CHECK (strikes >= 0),
  refused bigint NOT NULL DEFAULT 0 CHECK (refused >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);
CREATE INDEX sign_in_throttle_updated_idx ON sign_in_throttle (updated_at);

-- Browsers an account has signed in from: the hash of a long-lived random cookie.
CREATE TABLE known_devices (
  token_hash text NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX known_devices_user_idx ON known_devices (user_id, last_used_at DESC);
