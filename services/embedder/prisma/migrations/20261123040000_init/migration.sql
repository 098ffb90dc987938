-- The embedder's tables; the migrator runs this with search_path set to the service schema.
CREATE TABLE items (
  item_id      text PRIMARY KEY,
  source_id    text NOT NULL,
  source_type  text NOT NULL,
  title        text NOT NULL,
  text         text NOT NULL,
  url          text,
  language     text NOT NULL,
  published_at timestamptz(3) NOT NULL,
  content_hash text NOT NULL,
  received_at  timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE item_embeddings (
  item_id     text NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
  model       text NOT NULL,
  dim         integer NOT NULL,
  input_hash  text NOT NULL,
  embedded_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, model)
);
CREATE INDEX item_embeddings_model_idx ON item_embeddings (model);
