-- The collector's tables; the migrator runs this with search_path set to the service schema.
CREATE TABLE sources (
  id                    text PRIMARY KEY,
  type                  text NOT NULL CHECK (type IN ('feed', 'reddit', 'hackernews', 'push', 'jsonl')),
  name                  text NOT NULL,
  -- feed: the feed URL; reddit: the subreddit; hackernews: top | new | best; push/jsonl: a label.
  target                text NOT NULL,
  options               jsonb NOT NULL DEFAULT '{}'::jsonb,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  interval_seconds      integer NOT NULL,
  -- The interval the scheduler follows now: starts at interval_seconds, then tracks how often the
  -- source really changes.
  effective_interval_seconds integer NOT NULL,
  jitter                double precision NOT NULL DEFAULT 0.1,
  next_poll_at          timestamptz(3),
  etag                  text,
  last_modified         text,
  -- the format a feed was last read as (rss | rdf | atom | jsonfeed)
  feed_format           text,
  successes             integer NOT NULL DEFAULT 0,
  failures              integer NOT NULL DEFAULT 0,
  consecutive_failures  integer NOT NULL DEFAULT 0,
  last_error            text,
  last_error_at         timestamptz(3),
  last_success_at       timestamptz(3),
  last_polled_at        timestamptz(3),
  last_change_at        timestamptz(3),
  failure_reported_at   timestamptz(3),
  lease_owner           text,
  lease_until           timestamptz(3),
  created_at            timestamptz(3) NOT NULL DEFAULT now(),
  updated_at            timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sources_type_target_key ON sources (type, target);
CREATE INDEX sources_due_idx ON sources (next_poll_at) WHERE status = 'active';

-- Every item a source has produced, by the source's own id for it: an item is emitted once.
CREATE TABLE seen_items (
  source_id     text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  external_id   text NOT NULL,
  item_id       text NOT NULL,
  first_seen_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, external_id)
);
CREATE INDEX seen_items_recent_idx ON seen_items (source_id, first_seen_at);

-- One row per poll, newest kept (pruned per source).
CREATE TABLE fetch_log (
  id          bigserial PRIMARY KEY,
  source_id   text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  started_at  timestamptz(3) NOT NULL,
  duration_ms integer NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('changed', 'unchanged', 'not_modified', 'failed')),
  http_status integer,
  items_found integer NOT NULL DEFAULT 0,
  items_new   integer NOT NULL DEFAULT 0,
  error       text
);
CREATE INDEX fetch_log_source_idx ON fetch_log (source_id, id DESC);
