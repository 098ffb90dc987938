import { fileURLToPath } from 'node:url';
import {
  consumerMiddleware,
  createMetrics,
  createOutboxRelay,
  createPrismaClient,
  migrate,
  pruneProcessedEvents,
  subscribeAll,
  type Broker,
  type BrokerMetrics,
  type Database,
  type Logger,
  type OutboxRelay,
  type Subscription,
} from '@trendmill/platform';
import { parseEvent } from '@trendmill/shared-contracts';
import {
  createClusterEngine,
  defaultEngineSettings,
  type ClusterEngine,
  type EngineChange,
  type EngineSettings,
} from './domain/index.js';
import { EngineRegistry, EngineRegistryCleared, type EngineFactory } from './engine-registry.js';
import { clusterEmbedded, type BatchSettings } from './handlers/cluster-embedded.js';
import { workerGroupFinder } from './discovery/group-finder.js';
import { runEngineCycle, type CycleKind } from './handlers/engine-cycle.js';
import { createLeaderLock, type LeaderLock } from './leadership/leader-lock.js';
import { countChanges, createClustererMetrics, type ClustererMetrics } from './metrics.js';
import { clusterStore } from './store/cluster-store.js';
import { PrismaClient } from './store/prisma.js';
import { clustererSubscriptions } from './subscriptions.js';

export const CLUSTERER_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface ClustererPorts {
  db: Database;
  broker: Broker;
  logger: Logger;
  /** Broker metrics; the clusterer's own metrics go to the same registry. */
  metrics?: BrokerMetrics;
  clock?: () => Date;
}

export interface ClustererSettings {
  /** Overrides applied over every model's stored or default engine settings (env). */
  engine?: Partial<EngineSettings>;
  /** The engine implementation; the domain's `createClusterEngine` / `defaultEngineSettings` by default. */
  engineFactory?: EngineFactory;
  /** Discovery over every model's pool (default 60 s); it also runs when `add` says it is due. */
  discoveryIntervalMs?: number;
  /** Merge, retire, trend refresh (default 5 min). */
  maintenanceIntervalMs?: number;
  /** A due discovery waits this long, so a burst of items is clustered in one pass (default 1 s). */
  discoveryDebounceMs?: number;
  /** How often a standby tries the leader lock and the active one checks it (default 2 s). */
  leaderCheckIntervalMs?: number;
  /** How long processed event ids are kept for redelivery checks (default 7 days; pruned in maintenance). */
  processedRetentionMs?: number;
  /**
   * item.embedded deliveries in flight at once (default 128): enough for one batch to fill while
   * the one before it commits.
   */
  prefetch?: number;
  /** Deliveries clustered per transaction (default 64 items, or whatever arrived within 5 ms). */
  batch?: BatchSettings;
  maxAttempts?: number;
  relayPollIntervalMs?: number;
  /**
   * Discovery's density clustering in a worker thread (default true), so a pass of several
   * seconds does not hold the process up; false runs it on the main thread.
   */
  discoveryThread?: boolean;
}

export const DEFAULT_CLUSTERER_PREFETCH = 128;

export type ClustererRole = 'active' | 'standby';

export interface CycleReport {
  model: string;
  changes: EngineChange[];
}

export interface ClustererService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs discovery for every model now (active replica only; a standby returns []). */
  discoverNow(): Promise<CycleReport[]>;
  /** Runs merge / retire / trend refresh for every model now (active replica only). */
  maintainNow(): Promise<CycleReport[]>;
  /** 'active' while this replica holds the leader lock and consumes item.embedded. */
  readonly role: ClustererRole;
  readonly relay: OutboxRelay | undefined;
}

/**
 * The clusterer: item.embedded → item.clustered and cluster.* events, one engine per embedding
 * model. Replicas elect one active instance through a PostgreSQL advisory lock; a standby neither
 * subscribes nor runs discovery until it holds the lock, then rebuilds the engines from the
 * database and takes over.
 */
export function createClustererService(
  ports: ClustererPorts,
  settings: ClustererSettings = {},
): ClustererService {
  const { db, broker, logger } = ports;
  const brokerMetrics = ports.metrics ?? createMetrics('clusterer');
  const metrics: ClustererMetrics = createClustererMetrics(brokerMetrics.registry);
  const now = () => (ports.clock ?? (() => new Date()))().getTime();
  const maxAttempts = settings.maxAttempts ?? 5;
  const discoveryIntervalMs = settings.discoveryIntervalMs ?? 60_000;
  const maintenanceIntervalMs = settings.maintenanceIntervalMs ?? 300_000;
  const debounceMs = settings.discoveryDebounceMs ?? 1_000;
  const leaderCheckMs = settings.leaderCheckIntervalMs ?? 2_000;
  const processedRetentionMs = settings.processedRetentionMs ?? 7 * 24 * 3_600_000;

  let role: ClustererRole = 'standby';
  let stopped = false;
  let prisma: PrismaClient | undefined;
  let relay: OutboxRelay | undefined;
  let engines: EngineRegistry | undefined;
  let lock: LeaderLock | undefined;
  let subscription: Subscription | undefined;
  let leaderTimer: NodeJS.Timeout | undefined;
  let cycleTimers: NodeJS.Timeout[] = [];
  const dueDiscoveries = new Map<string, NodeJS.Timeout>();
  let transition: Promise<void> = Promise.resolve();
  const groupFinder =
    settings.discoveryThread === false
      ? undefined
      : workerGroupFinder({
          onError: (error) => logger.error('discovery thread failed', { error: String(error) }),
        });
  /** Discovery passes run one at a time per model (a split pass leaves the engine's queue while its groups are found). */
  const discoveries = new Map<string, Promise<unknown>>();

  const observe = (model: string, engine: ClusterEngine) => {
    metrics.poolSize.set({ model }, engine.poolSize());
    metrics.liveClusters.set({ model }, engine.clusters().length);
  };

  const cycle = (model: string, kind: CycleKind, onlyIfPooled = false): Promise<EngineChange[]> => {
    if (kind !== 'discover') return runCycle(model, kind);
    const run = (discoveries.get(model) ?? Promise.resolve()).then(() => runCycle(model, kind, onlyIfPooled));
    const settled = run.catch(() => undefined);
    discoveries.set(model, settled);
    void settled.then(() => {
      if (discoveries.get(model) === settled) discoveries.delete(model);
    });
    return run;
  };

  const runCycle = async (model: string, kind: CycleKind, onlyIfPooled = false): Promise<EngineChange[]> => {
    const histogram = kind === 'discover' ? metrics.discoverySeconds : metrics.maintenanceSeconds;
    const end = histogram.startTimer({ model });
    const registry = engines;
    if (!registry || !prisma) return [];
    const changes = await runEngineCycle(
      {
        prisma,
        schema: db.schema,
        engines: registry,
        now,
        ...(groupFinder ? { groupFinder } : {}),
        stillActive: () => role === 'active' && engines === registry,
      },
      model,
      kind,
      { onlyIfPooled },
    );
    end();
    if (changes.length > 0) {
      countChanges(metrics, model, changes);
      relay?.wake();
      logger.info(`${kind === 'discover' ? 'discovery' : 'maintenance'} committed`, {
        model,
        changes: changes.length,
      });
    }
    const loaded = (await registry.loaded()).find((e) => e.model === model);
    if (loaded) observe(model, loaded.engine);
    return changes;
  };

  /**
   * Every model's passes; `scheduled`: a discovery pass skips an engine that pooled nothing since
   * its last pass took its candidates (a pass over the same pool finds nothing new, and a pass
   * costs O(items in the window)). The engine counts what it pooled, not the pool's size: a pass
   * that clusters k items while k others arrive leaves the size as it was. The check runs on the
   * engine's queue when the pass is due to start, not when the timer fires: ticks that queue up
   * behind a slow pass would otherwise each run one more pass over the same pool.
   */
  const cycleAll = async (kind: CycleKind, scheduled = false): Promise<CycleReport[]> => {
    if (role !== 'active' || !prisma) return [];
    const reports: CycleReport[] = [];
    for (const model of await clusterStore.knownModels(prisma)) {
      if (role !== 'active') break;
      reports.push({ model, changes: await cycle(model, kind, scheduled && kind === 'discover') });
    }
    // A stored item is never clustered twice (items are insert-or-skip), so processed event ids
    // only need to outlive the broker's redelivery horizon.
    if (kind === 'maintain') await pruneProcessedEvents(db.sql, db.schema, processedRetentionMs);
    return reports;
  };

  const background = (what: string, work: () => Promise<unknown>) => {
    work().catch((err: unknown) => {
      // Stepping down (or stopping) mid-pass drops the pass on purpose: not a failure.
      if (err instanceof EngineRegistryCleared || role !== 'active') {
        logger.debug(`${what} dropped`, { reason: String(err) });
        return;
      }
      logger.error(`${what} failed; will try again`, { error: String(err) });
    });
  };

  const scheduleDiscovery = (model: string) => {
    if (dueDiscoveries.has(model) || role !== 'active') return;
    const timer = setTimeout(() => {
      dueDiscoveries.delete(model);
      if (role === 'active') background(`discovery for ${model}`, () => cycle(model, 'discover'));
    }, debounceMs);
    timer.unref();
    dueDiscoveries.set(model, timer);
  };

  const becomeActive = async () => {
    engines = new EngineRegistry({
      prisma: prisma!,
      factory: settings.engineFactory ?? defaultEngineFactory,
      overrides: settings.engine ?? {},
      now,
      logger,
    });
    const handle = clusterEmbedded({
      prisma: prisma!,
      schema: db.schema,
      engines,
      now,
      onCommitted: (model, changes, engine) => {
        countChanges(metrics, model, changes);
        observe(model, engine);
        relay?.wake();
      },
      onDiscoveryDue: scheduleDiscovery,
      ...(settings.batch ? { batch: settings.batch } : {}),
      onBatchFailed: (error, size) =>
        logger.warn('cluster batch not committed; its items run one by one', { size, error: String(error) }),
    });
    subscription = await subscribeAll(
      broker,
      clustererSubscriptions({
        itemEmbedded: async (message) => {
          await handle(message);
        },
      }),
      {
        middleware: consumerMiddleware({ parse: parseEvent, metrics: brokerMetrics, maxAttempts }),
        maxAttempts,
        prefetch: settings.prefetch ?? DEFAULT_CLUSTERER_PREFETCH,
      },
    );
    role = 'active';
    metrics.active.set(1);
    cycleTimers = [
      setInterval(() => background('discovery', () => cycleAll('discover', true)), discoveryIntervalMs),
      setInterval(() => background('maintenance', () => cycleAll('maintain')), maintenanceIntervalMs),
    ];
    for (const t of cycleTimers) t.unref();
    logger.info('clusterer active: holds the leader lock and consumes', { schema: db.schema });
  };

  const stepDown = async (reason: string) => {
    if (role !== 'active') return;
    role = 'standby';
    metrics.active.set(0);
    for (const t of [...cycleTimers, ...dueDiscoveries.values()]) clearTimeout(t);
    cycleTimers = [];
    dueDiscoveries.clear();
    await subscription?.close();
    subscription = undefined;
    await engines?.clear();
    engines = undefined;
    // Losing the lock is worth a warning; shutting down is not.
    if (reason === 'stopping') logger.info('clusterer on standby', { reason });
    else logger.warn('clusterer on standby', { reason });
  };

  // Leadership changes run one at a time, in the order they were asked for.
  const serial = (work: () => Promise<void>) => {
    transition = transition.then(work).catch((err: unknown) => {
      logger.error('leadership transition failed', { error: String(err) });
    });
    return transition;
  };

  const checkLeadership = () =>
    serial(async () => {
      if (stopped || !lock) return;
      if (role === 'standby') {
        if (!(await lock.tryAcquire())) return;
        try {
          await becomeActive();
        } catch (err) {
          await lock.release();
          throw err;
        }
      } else if (!(await lock.stillHeld())) {
        await stepDown('leader lock lost');
      }
    });

  return {
    get role() {
      return role;
    },
    get relay() {
      return relay;
    },
    async start() {
      const report = await migrate(db.sql, { schema: db.schema, dirs: [CLUSTERER_MIGRATIONS_DIR] });
      if (report.applied.length)
        logger.info('clusterer migrations applied', { applied: report.applied.map((m) => m.name) });
      prisma = createPrismaClient(PrismaClient, db);
      // Every replica relays: a standby that just took over publishes what a crashed leader
      // committed but never sent (rows are claimed with SKIP LOCKED, so relays never double up).
      relay = createOutboxRelay({
        sql: db.sql,
        schema: db.schema,
        publish: (messages) => broker.publish(messages),
        pollIntervalMs: settings.relayPollIntervalMs ?? 1_000,
        onError: (err) => logger.warn('outbox relay could not publish; will retry', { error: String(err) }),
      });
      relay.start();
      metrics.active.set(0);
      lock = createLeaderLock(db);
      lock.onLost((reason) => void serial(() => stepDown(reason)));
      await checkLeadership();
      if (role === 'standby') logger.info('clusterer on standby: another replica holds the leader lock');
      leaderTimer = setInterval(() => void checkLeadership(), leaderCheckMs);
      leaderTimer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(leaderTimer);
      await serial(() => stepDown('stopping'));
      await lock?.release();
      await relay?.stop();
      await groupFinder?.close();
      await prisma?.$disconnect();
      logger.info('clusterer stopped');
    },
    discoverNow: () => cycleAll('discover'),
    maintainNow: () => cycleAll('maintain'),
  };
}

/** The domain's engine: HDBSCAN discovery, c-TF-IDF descriptions, trend figures. */
export const defaultEngineFactory: EngineFactory = {
  create: createClusterEngine,
  defaults: defaultEngineSettings,
};
