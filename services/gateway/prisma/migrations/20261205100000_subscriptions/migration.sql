-- The gateway's subscription tables: the event log behind SSE and webhooks, webhook subscriptions,
-- their deliveries, and the fan-out cursor. The migrator runs this with search_path set to the
-- gateway schema.

-- Every event the gateway consumed, once (event_id unique), in a sequence that commits in order
-- (appends are serialised by an advisory lock), so a reader tailing `seq > last` never skips a row
-- that commits late. SSE ids and webhook fan-out both follow seq.
CREATE TABLE event_log (
  seq         bigserial PRIMARY KEY,
  event_id    text NOT NULL UNIQUE,
  type        text NOT NULL,
  subject     text NOT NULL,
  event_time  timestamptz(3) NOT NULL,
  payload     text NOT NULL,
  appended_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX event_log_type_seq_idx ON event_log (type, seq);
CREATE INDEX event_log_appended_at_idx ON event_log (appended_at);

CREATE TABLE webhook_subscriptions (
  id                   text PRIMARY KEY,
  url                  text NOT NULL,
  types                text[] NOT NULL,
  -- HMAC key; shown to the caller once, at creation, and never returned again.
  secret               text NOT NULL,
  enabled              boolean NOT NULL DEFAULT true,
  -- Events up to this seq existed before the subscription and are not delivered to it.
  start_seq            bigint NOT NULL,
  consecutive_failures integer NOT NULL DEFAULT 0,
  disabled_reason      text,
  disabled_at          timestamptz(3),
  last_success_at      timestamptz(3),
  last_failure_at      timestamptz(3),
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  updated_at           timestamptz(3) NOT NULL DEFAULT now()
);

-- One row per (subscription, event): the retry state lives here, so a restart loses nothing.
CREATE TABLE webhook_deliveries (
  id              bigserial PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_seq       bigint NOT NULL REFERENCES event_log (seq) ON DELETE CASCADE,
  event_id        text NOT NULL,
  event_type      text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3) NOT NULL,
  last_attempt_at timestamptz(3),
  last_status     integer,
  last_error      text,
  delivered_at    timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, id);
CREATE INDEX webhook_deliveries_event_seq_idx ON webhook_deliveries (event_seq);

-- How far the event log has been fanned out into deliveries (one row; replicas take turns on it).
CREATE TABLE webhook_dispatch_cursor (
  id       smallint PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL
);
INSERT INTO webhook_dispatch_cursor (id, last_seq) VALUES (1, 0);
