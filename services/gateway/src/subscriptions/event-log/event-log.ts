import {
  consumerMiddleware,
  createMetrics,
  defineSubscriptions,
  eventOf,
  subscribeAll,
  type Broker,
  type BrokerMetrics,
  type Database,
  type Logger,
  type MessageHandler,
  type Subscription,
} from '@trendmill/platform';
import { EVENT_TYPE_LIST, parseEvent, type TrendmillEvent } from '@trendmill/shared-contracts';
import type { Registry } from 'prom-client';
import { subscriptionMetrics } from '../metrics.js';
import { APPEND_BATCH_MAX, AppendBatcher } from './append-batcher.js';
import { listenForAppends } from './append-listener.js';
import { EventLogStore, appendChannel, type EventLogEntry } from './event-log-store.js';
import { LogTailer, type AppendListener } from './tailer.js';

export const EVENT_LOG_GROUP = 'gateway';
export const DEFAULT_RETENTION_HOURS = 72;

export interface EventLogDeps {
  db: Database;
  broker: Broker;
  logger: Logger;
  /** Entries older than this are pruned (default 72 h), unless a webhook delivery still waits on one. */
  retentionHours?: number;
  /** How often to look for other replicas' appends when no notification came (default 1 s). */
  pollIntervalMs?: number;
  /** How often to prune (default 10 min). */
  pruneIntervalMs?: number;
  /**
   * Events the log's consumer holds unacknowledged (default APPEND_BATCH_MAX). Each waits for the
   * group commit that takes it, so this bounds the batch: at 32 the log fell behind the embedded
   * pipeline, whose every item brings several events: after `scale 8000` 28,700 events still waited
   * in memory (heap 440 MB), growing ~200/s for the whole run; at 256 the backlog stays near zero.
   * Throughput moved within run-to-run noise (44.9–62.1 items/s at 32, 53.1–61.3 at 256).
   */
  prefetch?: number;
  maxAttempts?: number;
  metrics?: BrokerMetrics;
  registry?: Registry;
  /** Consume from the broker (default true); false gives a read-only replica that only tails. */
  consume?: boolean;
}

export interface EventLog {
  /** Entries after `afterSeq` (oldest first) of `types` (full event types; empty = all), at most `limit`. */
  read(afterSeq: number, types: readonly string[], limit: number): Promise<EventLogEntry[]>;
  /** Called with every entry appended from now on, by any replica, in seq order; returns an unsubscribe. */
  onAppend(listener: AppendListener): () => void;
  /** The last seq handed to onAppend listeners: a live stream without a resume point starts here. */
  readonly head: number;
  /** The oldest seq still retained (0 when the log is empty). */
  oldest(): Promise<number>;
  /** Appends one event (what the broker consumer does); undefined when its id is already logged. */
  append(event: TrendmillEvent): Promise<number | undefined>;
  /** Deletes entries past retention now; returns how many. */
  prune(): Promise<number>;
  /** Events this replica appended since it started (the rest came from other replicas). */
  readonly appendedHere: number;
  stop(): Promise<void>;
}

/**
 * The log behind SSE and webhooks: consumes every Trendmill event (group "gateway"; replicas
 * compete, each event reaches one of them), appends it once to the shared table, and tails that
 * table so every replica sees every event whichever replica consumed it. PostgreSQL replicas
 * wake each other with LISTEN/NOTIFY; polling covers lost notifications and PGlite.
 * The gateway's migrations must have been applied to `db.schema`.
 */
export async function startEventLog(deps: EventLogDeps): Promise<EventLog> {
  const { db, broker, logger } = deps;
  const store = new EventLogStore(db.sql, db.schema);
  const metrics = subscriptionMetrics(deps.registry);
  const retentionHours = deps.retentionHours ?? DEFAULT_RETENTION_HOURS;
  if (!(retentionHours > 0)) throw new RangeError('retentionHours must be > 0');
  const tailer = new LogTailer(store, await store.head(), {
    pollIntervalMs: deps.pollIntervalMs ?? 1_000,
    batch: 500,
    logger,
  });
  tailer.start();
  let appendedHere = 0;

  const batcher = new AppendBatcher(store);
  const append = async (event: TrendmillEvent) => {
    const seq = await batcher.append(event);
    if (seq !== undefined) {
      appendedHere++;
      metrics.eventsAppended.inc({ type: event.type });
      void tailer.wake();
    }
    return seq;
  };

  const listener = db.pool
    ? listenForAppends({
        pool: db.pool,
        channel: appendChannel(db.schema),
        onNotify: () => void tailer.wake(),
        logger,
      })
    : undefined;

  let subscription: Subscription | undefined;
  if (deps.consume !== false) {
    const maxAttempts = deps.maxAttempts ?? 5;
    const handle: MessageHandler = async (message) => {
      await append(eventOf<TrendmillEvent>(message)!);
    };
    const subscriptions = defineSubscriptions(
      EVENT_LOG_GROUP,
      Object.fromEntries(EVENT_TYPE_LIST.map((type) => [type, handle])),
    );
    subscription = await subscribeAll(broker, subscriptions, {
      middleware: consumerMiddleware({
        parse: parseEvent,
        metrics: deps.metrics ?? createMetrics('gateway', deps.registry),
        maxAttempts,
      }),
      maxAttempts,
      prefetch: deps.prefetch ?? APPEND_BATCH_MAX,
    });
  }

  const prune = async () => {
    const deleted = await store.prune(retentionHours);
    if (deleted > 0) logger.info('event log pruned', { deleted, retentionHours });
    return deleted;
  };
  const pruneTimer = setInterval(
    () => {
      prune().catch((error) => logger.warn('event log prune failed', { error: String(error) }));
    },
    deps.pruneIntervalMs ?? 10 * 60_000,
  );
  pruneTimer.unref();

  logger.info('event log started', { schema: db.schema, head: tailer.head, retentionHours });
  return {
    read: (afterSeq, types, limit) => store.read(afterSeq, types, limit),
    onAppend: (fn) => tailer.onAppend(fn),
    get head() {
      return tailer.head;
    },
    get appendedHere() {
      return appendedHere;
    },
    oldest: () => store.oldest(),
    append,
    prune,
    async stop() {
      clearInterval(pruneTimer);
      await subscription?.close();
      await listener?.stop();
      await tailer.stop();
    },
  };
}
