-- The query service's read model (CQRS projection of item.* and cluster.* events). Unqualified:
-- the migrator sets search_path to the service's schema.

-- One row per embedded item. `ts_config` is the text-search configuration of the item's language
-- (stemming for the languages Postgres has a snowball stemmer for, 'simple' otherwise); the
-- generated `search` column weights the title above the body. `cluster_id` mirrors the item's
-- membership (memberships below) so lists filter and page on one index.
CREATE TABLE "items" (
    "id" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "source_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "url" TEXT,
    "language" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "model" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "cluster_id" TEXT,
    "ts_config" REGCONFIG NOT NULL DEFAULT 'simple',
    "search" TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector("ts_config", "title"), 'A') ||
        setweight(to_tsvector("ts_config", left("text", 20000)), 'B')
    ) STORED,
    "indexed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "items_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "items_search_idx" ON "items" USING GIN ("search");
CREATE INDEX "items_published_at_id_idx" ON "items"("published_at" DESC, "id" DESC);
CREATE INDEX "items_cluster_id_published_at_id_idx" ON "items"("cluster_id", "published_at" DESC, "id" DESC);
CREATE INDEX "items_source_id_published_at_idx" ON "items"("source_id", "published_at" DESC);
CREATE INDEX "items_language_published_at_idx" ON "items"("language", "published_at" DESC);

-- Which cluster an item belongs to, from item.clustered and the cluster events' member lists;
-- kept even before the item itself arrives (events of different types may be delivered in any
-- order). `assigned_at` is the event time: an older assignment never overwrites a newer one.
CREATE TABLE "memberships" (
    "item_id" TEXT NOT NULL,
    "cluster_id" TEXT,
    "method" TEXT,
    "similarity" DOUBLE PRECISION,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("item_id")
);

CREATE INDEX "memberships_cluster_id_idx" ON "memberships"("cluster_id");

-- Clusters at the version of the last cluster event applied. `version_gaps` counts events applied
-- past a missing version (they carry the full state, so nothing is waited for).
CREATE TABLE "clusters" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "label" TEXT NOT NULL DEFAULT '',
    "keywords" JSONB NOT NULL DEFAULT '[]',
    "size" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "emerging_score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "velocity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "representative_item_ids" JSONB NOT NULL DEFAULT '[]',
    "merged_into" TEXT,
    "retired_at" TIMESTAMPTZ(3),
    "retired_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_item_at" TIMESTAMPTZ(3) NOT NULL,
    "version_gaps" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "clusters_status_check" CHECK ("status" IN ('emerging', 'active', 'fading', 'retired', 'merged'))
);

-- One index per list sort, each ending in the keyset tie-breaker.
CREATE INDEX "clusters_size_id_idx" ON "clusters"("size" DESC, "id");
CREATE INDEX "clusters_velocity_id_idx" ON "clusters"("velocity" DESC, "id");
CREATE INDEX "clusters_emerging_score_id_idx" ON "clusters"("emerging_score" DESC, "id");
CREATE INDEX "clusters_last_item_at_id_idx" ON "clusters"("last_item_at" DESC, "id");
CREATE INDEX "clusters_status_idx" ON "clusters"("status");

-- Member items per cluster per hour (by published_at), kept as items join and leave clusters.
CREATE TABLE "cluster_buckets" (
    "cluster_id" TEXT NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "cluster_buckets_pkey" PRIMARY KEY ("cluster_id", "bucket_start")
);

CREATE INDEX "cluster_buckets_bucket_start_idx" ON "cluster_buckets"("bucket_start");

-- Re-posts the normalizer found, by original item (the original may arrive after its duplicate).
CREATE TABLE "duplicates" (
    "item_id" TEXT NOT NULL,
    "original_item_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "similarity" DOUBLE PRECISION NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "duplicates_pkey" PRIMARY KEY ("item_id")
);

CREATE INDEX "duplicates_original_item_id_idx" ON "duplicates"("original_item_id");
