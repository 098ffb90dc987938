-- The clusterer's tables; the migrator runs this with search_path set to the service schema.

-- Engine settings per embedding model: the calibrated assignment threshold stays tied to the
-- model whose similarities it was calibrated on.
CREATE TABLE model_settings (
  model      text PRIMARY KEY,
  dim        integer NOT NULL CHECK (dim >= 1),
  settings   jsonb NOT NULL,
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Every cluster ever announced, in its latest announced state (retired and merged ones stay, so
-- their ids are never reused and their last version is known).
CREATE TABLE clusters (
  cluster_id              text PRIMARY KEY,
  model                   text NOT NULL,
  version                 integer NOT NULL CHECK (version >= 1),
  status                  text NOT NULL CHECK (status IN ('emerging', 'active', 'fading', 'retired', 'merged')),
  size                    integer NOT NULL CHECK (size >= 0),
  centroid                bytea NOT NULL,
  label                   text NOT NULL,
  keywords                jsonb NOT NULL,
  representative_item_ids text[] NOT NULL,
  emerging_score          double precision NOT NULL,
  velocity                double precision NOT NULL,
  created_at              timestamptz(3) NOT NULL,
  updated_at              timestamptz(3) NOT NULL,
  last_item_at            timestamptz(3) NOT NULL,
  merged_into             text,
  internal                jsonb NOT NULL
);
CREATE INDEX clusters_model_status_idx ON clusters (model, status);

-- Embedded items per model: the membership (cluster_id) and the pool (cluster_id IS NULL), with
-- what the engine needs to be rebuilt after a restart.
CREATE TABLE items (
  model        text NOT NULL,
  item_id      text NOT NULL,
  vector       bytea NOT NULL,
  text         text NOT NULL,
  published_at timestamptz(3) NOT NULL,
  source_id    text NOT NULL,
  language     text NOT NULL,
  cluster_id   text REFERENCES clusters (cluster_id),
  clustered_at timestamptz(3),
  received_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (model, item_id)
);
CREATE INDEX items_model_cluster_idx ON items (model, cluster_id);
CREATE INDEX items_model_published_idx ON items (model, published_at);
