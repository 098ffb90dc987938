-- The normalizer's tables; the migrator runs this with search_path set to the service schema.
CREATE TABLE item_outcomes (
  item_id          text PRIMARY KEY,
  outcome          text NOT NULL CHECK (outcome IN ('normalized', 'duplicate')),
  method           text,
  original_item_id text,
  similarity       double precision,
  decided_at       timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE fingerprints (
  item_id       text PRIMARY KEY,
  source_id     text NOT NULL,
  canonical_url text,
  content_hash  text NOT NULL,
  signature     text NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX fingerprints_canonical_url_idx ON fingerprints (canonical_url);
CREATE INDEX fingerprints_content_hash_idx ON fingerprints (content_hash);

CREATE TABLE fingerprint_bands (
  band_key text NOT NULL,
  item_id  text NOT NULL REFERENCES fingerprints (item_id) ON DELETE CASCADE,
  PRIMARY KEY (band_key, item_id)
);
CREATE INDEX fingerprint_bands_item_id_idx ON fingerprint_bands (item_id);
