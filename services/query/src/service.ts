import { fileURLToPath } from 'node:url';
import {
  consumerMiddleware,
  createMetrics,
  migrate,
  subscribeAll,
  type Broker,
  type BrokerMetrics,
  type Database,
  type Logger,
  type Subscription,
} from '@trendmill/platform';
import { parseEvent } from '@trendmill/shared-contracts';
import type { VectorStore } from '@trendmill/vectors';
import type { QueryApi } from './api.js';
import type { QueryEmbedder } from './embedding/port.js';
import type { QueryMetrics } from './metrics.js';
import { projectionHandlers, type BatchSettings } from './projection/handlers.js';
import { createReadApi } from './read/query-api.js';
import { VectorAccess } from './read/vector-access.js';
import { ReadStore } from './store/read-store.js';
import { querySubscriptions } from './subscriptions.js';

export const QUERY_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface QueryPorts {
  db: Database;
  broker: Broker;
  logger: Logger;
  vectors: VectorStore;
  embedder: QueryEmbedder;
  metrics?: BrokerMetrics;
  queryMetrics?: QueryMetrics;
  clock?: () => Date;
}

export interface QuerySettings {
  /**
   * Deliveries in flight at once (default 128): enough for one batch to fill while the previous
   * one commits.
   */
  prefetch?: number;
  /** Projection batches: deliveries per transaction and how long a lone one waits (64, 5 ms). */
  batch?: BatchSettings;
  maxAttempts?: number;
  /** Members whose vectors make a cluster's centroid for its evidence items (default 1,000). */
  centroidSample?: number;
  /** How long a cluster's evidence items are reused while its state is unchanged (default 30 s; 0 = never). */
  evidenceTtlMs?: number;
}

export const DEFAULT_QUERY_PREFETCH = 128;

export interface QueryService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Usable once start() resolved (the schema is migrated then). */
  readonly api: QueryApi;
}

/** The query service: projects item.* and cluster.* events into its read model and answers the QueryApi. */
export function createQueryService(ports: QueryPorts, settings: QuerySettings = {}): QueryService {
  const { db, broker, logger } = ports;
  const metrics = ports.metrics ?? createMetrics('query');
  const maxAttempts = settings.maxAttempts ?? 5;
  const vectors = new VectorAccess(ports.vectors);
  const api = createReadApi({
    store: new ReadStore(db.sql, db.schema),
    vectors,
    embedder: ports.embedder,
    ...(ports.clock ? { clock: ports.clock } : {}),
    ...(settings.centroidSample ? { centroidSample: settings.centroidSample } : {}),
    ...(settings.evidenceTtlMs !== undefined ? { evidenceTtlMs: settings.evidenceTtlMs } : {}),
  });
  let subscription: Subscription | undefined;

  return {
    api,
    async start() {
      const report = await migrate(db.sql, { schema: db.schema, dirs: [QUERY_MIGRATIONS_DIR] });
      if (report.applied.length)
        logger.info('query migrations applied', { applied: report.applied.map((m) => m.name) });
      const handlers = projectionHandlers({
        db,
        vectors: ports.vectors,
        ...(settings.batch ? { batch: settings.batch } : {}),
        onBatchFailed: (error, size) =>
          logger.warn('projection batch not committed; its events run one by one', {
            size,
            error: String(error),
          }),
        onApplied: (type) => ports.queryMetrics?.eventsApplied.inc({ type }),
        onVersionGap: (clusterId, version) => {
          ports.queryMetrics?.versionGaps.inc();
          logger.warn('cluster event applied past a missing version', { clusterId, version });
        },
      });
      subscription = await subscribeAll(broker, querySubscriptions(handlers), {
        middleware: consumerMiddleware({ parse: parseEvent, metrics, maxAttempts }),
        maxAttempts,
        prefetch: settings.prefetch ?? DEFAULT_QUERY_PREFETCH,
      });
      logger.info('query service started', {
        schema: db.schema,
        transport: broker.transport,
        vectors: ports.vectors.kind,
      });
    },
    async stop() {
      await subscription?.close();
      subscription = undefined;
      logger.info('query service stopped');
    },
  };
}
