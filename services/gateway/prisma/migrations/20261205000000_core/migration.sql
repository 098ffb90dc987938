-- The gateway's core tables: API keys and feature flags. The migrator runs this with search_path
-- set to the gateway schema.

-- A key is shown once, as tm_<id>_<secret>; only sha256(salt || secret) is kept, so a copy of this
-- table lets nobody in.
CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  scopes       text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write', 'admin']::text[] AND cardinality(scopes) > 0),
  salt         text NOT NULL,
  hash         text NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at timestamptz(3),
  revoked_at   timestamptz(3)
);
CREATE INDEX api_keys_created_at_idx ON api_keys (created_at);

CREATE TABLE feature_flags (
  key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  enabled     boolean NOT NULL DEFAULT false,
  description text NOT NULL DEFAULT '',
  -- Optional structured setting (percentage, list of keys, …) the flag's consumer interprets.
  value       jsonb,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);
