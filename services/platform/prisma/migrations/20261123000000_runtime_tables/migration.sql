-- Runtime tables every service has in its own schema, applied before the service's own
-- migrations. Unqualified on purpose: the migrator runs this with search_path set to the
-- service's schema, so the same file serves every service, on PostgreSQL and on a shared PGlite.

-- Transactional outbox: rows written in the same transaction as the state change they announce,
-- then published by the relay. `seq` orders rows written within one transaction (they share
-- created_at). A row locked by a relay (FOR UPDATE) is the in-progress state; 'failed' means the
-- last attempt failed and the row waits for next_attempt_at to be retried.
CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "key" TEXT,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "payload" BYTEA NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outbox_events_status_check" CHECK ("status" IN ('pending', 'in_progress', 'published', 'failed'))
);

CREATE INDEX "outbox_events_status_created_at_idx" ON "outbox_events"("status", "created_at");

-- Idempotent consumers: one row per (consumer, event id) whose effect has been committed.
CREATE TABLE "processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer", "event_id")
);

CREATE INDEX "processed_events_processed_at_idx" ON "processed_events"("processed_at");
