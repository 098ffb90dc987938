import { fileURLToPath } from 'node:url';
import {
  consumerMiddleware,
  createMetrics,
  createOutboxRelay,
  createPrismaClient,
  migrate,
  subscribeAll,
  type Broker,
  type BrokerMetrics,
  type Database,
  type Logger,
  type OutboxRelay,
  type Subscription,
} from '@trendmill/platform';
import { parseEvent } from '@trendmill/shared-contracts';
import { DEFAULT_NEAR_DUPLICATE_THRESHOLD } from './domain/index.js';
import { normalizeCollected, type BatchSettings } from './handlers/normalize-collected.js';
import { PrismaClient } from './store/prisma.js';
import { normalizerSubscriptions } from './subscriptions.js';

export const NORMALIZER_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface NormalizerPorts {
  db: Database;
  broker: Broker;
  logger: Logger;
  metrics?: BrokerMetrics;
  clock?: () => Date;
}

export interface NormalizerSettings {
  nearDuplicateThreshold?: number;
  /**
   * item.collected deliveries in flight at once (default 128): enough for one batch to fill while
   * the one before it commits.
   */
  prefetch?: number;
  /** Deliveries decided per transaction and dedup-lock hold (default 64, or what arrived in 5 ms). */
  batch?: BatchSettings;
  maxAttempts?: number;
  relayPollIntervalMs?: number;
}

export const DEFAULT_NORMALIZER_PREFETCH = 128;

export interface NormalizerService {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly relay: OutboxRelay | undefined;
}

/** The normalizer: consumes item.collected, emits item.normalized or item.duplicate-detected. */
export function createNormalizerService(
  ports: NormalizerPorts,
  settings: NormalizerSettings = {},
): NormalizerService {
  const { db, broker, logger } = ports;
  const metrics = ports.metrics ?? createMetrics('normalizer');
  const maxAttempts = settings.maxAttempts ?? 5;
  let prisma: PrismaClient | undefined;
  let relay: OutboxRelay | undefined;
  let subscription: Subscription | undefined;

  return {
    get relay() {
      return relay;
    },
    async start() {
      const report = await migrate(db.sql, { schema: db.schema, dirs: [NORMALIZER_MIGRATIONS_DIR] });
      if (report.applied.length)
        logger.info('normalizer migrations applied', { applied: report.applied.map((m) => m.name) });
      prisma = createPrismaClient(PrismaClient, db);
      relay = createOutboxRelay({
        sql: db.sql,
        schema: db.schema,
        publish: (messages) => broker.publish(messages),
        pollIntervalMs: settings.relayPollIntervalMs ?? 1_000,
        onError: (err) => logger.warn('outbox relay could not publish; will retry', { error: String(err) }),
      });
      relay.start();
      const handle = normalizeCollected({
        prisma,
        schema: db.schema,
        clock: ports.clock ?? (() => new Date()),
        nearDuplicateThreshold: settings.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD,
        onCommitted: () => relay?.wake(),
        ...(settings.batch ? { batch: settings.batch } : {}),
        onBatchFailed: (error, size) =>
          logger.warn('normalize batch not committed; its items run one by one', {
            size,
            error: String(error),
          }),
      });
      const subscriptions = normalizerSubscriptions({
        itemCollected: async (message) => {
          await handle(message);
        },
      });
      subscription = await subscribeAll(broker, subscriptions, {
        middleware: consumerMiddleware({ parse: parseEvent, metrics, maxAttempts }),
        maxAttempts,
        prefetch: settings.prefetch ?? DEFAULT_NORMALIZER_PREFETCH,
      });
      logger.info('normalizer started', { schema: db.schema, transport: broker.transport });
    },
    async stop() {
      await subscription?.close();
      await relay?.stop();
      await prisma?.$disconnect();
      logger.info('normalizer stopped');
    },
  };
}
