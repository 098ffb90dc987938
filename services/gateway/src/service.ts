import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import {
  createPrismaClient,
  migrate,
  sendError,
  type Broker,
  type BrokerMetrics,
  type Database,
  type Logger,
  type Subscription,
} from '@trendmill/platform';
import type { QueryApi } from '@trendmill/query';
import { createGatewayApp, responseCacheFor, type GatewayApp, type GatewaySettings } from './app.js';
import { ApiKeyStore } from './auth/api-key-store.js';
import { ensureLocalKey } from './auth/local-key.js';
import { subscribeCacheInvalidation } from './cache/cache-invalidation.js';
import type { ResponseCache } from './cache/response-cache.js';
import { gatewayMetrics } from './http/metrics.js';
import type { CollectorTarget } from './routes/collector-forwarder.js';
import type { RouteSpec } from './routes/route-spec.js';
import { PrismaClient } from './store/prisma.js';
import {
  startEventLog,
  startWebhookDispatcher,
  subscriptionRouteSpecs,
  createSecretBox,
  type EventLog,
  type WebhookDispatcher,
} from './subscriptions/index.js';

/** One folder for all gateway tables (core and subscriptions). */
export const GATEWAY_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface GatewayPorts {
  query: QueryApi;
  collector: CollectorTarget;
  broker: Broker;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
  embedderInfo?: (() => Promise<unknown>) | undefined;
  registry?: Registry | undefined;
  brokerMetrics?: BrokerMetrics | undefined;
  /** Mounted at the root before the API (the dashboard's router). */
  rootRouters?: readonly Router[];
}

export interface GatewayServiceSettings extends GatewaySettings {
  /** Accepted as an admin key from the first start (stored hashed). */
  bootstrapAdminKey?: string | undefined;
  /** Second invalidation after a cluster event (default 1 s; see cache-invalidation.ts). */
  cacheSettleMs?: number;
  /** Run the event log, SSE and webhooks (default true). */
  subscriptions?: boolean;
  /** CIDRs / hosts webhook URLs may point at although the SSRF guard refuses them. */
  webhookAllowlist?: readonly string[];
  /**
   * 32-byte key sealing webhook signing secrets at rest (GATEWAY_WEBHOOK_SECRET_KEY; the
   * embedded launcher keeps one in its data folder). Without it they are stored plain, with a warning.
   */
  webhookSecretKey?: Buffer | undefined;
}

export interface GatewayService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Answers 503 `starting` until start() finished; mount it as soon as it exists. */
  readonly app: Express;
  /** The app built at start (undefined before): its route table and mounted routers. */
  readonly gatewayApp: GatewayApp | undefined;
  /** API keys (after start): what the CLI and the embedded launcher use. */
  readonly keys: ApiKeyStore;
  /** The key printed by the embedded launcher, kept in `<dataDir>/gateway-admin.key` (0600). */
  ensureLocalApiKey(dataDir: string): Promise<{ key: string; id: string; created: boolean; file: string }>;
}

/** The gateway: migrations, cache invalidation, event log and webhooks, and the public app. */
export function createGatewayService(
  ports: GatewayPorts,
  settings: GatewayServiceSettings = {},
): GatewayService {
  const { db, broker, logger } = ports;
  let prisma: PrismaClient | undefined;
  let keys: ApiKeyStore | undefined;
  let inner: GatewayApp | undefined;
  let cacheSubscription: Subscription | undefined;
  let eventLog: EventLog | undefined;
  let dispatcher: WebhookDispatcher | undefined;

  const shell = express();
  shell.disable('x-powered-by');
  shell.use((req, res, next) => {
    if (inner) return inner(req, res, next);
    res.set('retry-after', '2');
    return sendError(res, 503, 'starting', 'the gateway is starting');
  });

  return {
    app: shell,
    get gatewayApp() {
      return inner;
    },
    get keys() {
      if (!keys) throw new Error('the gateway has not started');
      return keys;
    },
    async ensureLocalApiKey(dataDir) {
      if (!keys) throw new Error('the gateway has not started');
      return ensureLocalKey(keys, dataDir);
    },
    async start() {
      const report = await migrate(db.sql, { schema: db.schema, dirs: [GATEWAY_MIGRATIONS_DIR] });
      if (report.applied.length)
        logger.info('gateway migrations applied', { applied: report.applied.map((m) => m.name) });
      prisma = createPrismaClient(PrismaClient, db);
      keys = new ApiKeyStore(prisma);
      if (settings.bootstrapAdminKey) {
        const view = await keys.importKey(settings.bootstrapAdminKey, {
          name: 'bootstrap admin',
          scopes: ['admin'],
        });
        if (view.revokedAt)
          logger.warn('GATEWAY_BOOTSTRAP_ADMIN_KEY was revoked and stays revoked', { id: view.id });
      }
      const cache: ResponseCache = responseCacheFor(ports.redis, settings);
      const metrics = gatewayMetrics(ports.registry);
      cacheSubscription = await subscribeCacheInvalidation({
        broker,
        cache,
        logger,
        ...(settings.cacheSettleMs === undefined ? {} : { settleMs: settings.cacheSettleMs }),
        onInvalidated: () => metrics.cacheInvalidations.inc(),
      });
      const extraRoutes: RouteSpec[] = [];
      if (settings.subscriptions !== false) {
        eventLog = await startEventLog({
          db,
          broker,
          logger,
          ...(ports.registry ? { registry: ports.registry } : {}),
          ...(ports.brokerMetrics ? { metrics: ports.brokerMetrics } : {}),
        });
        const allowlist = settings.webhookAllowlist ?? [];
        const secretBox = settings.webhookSecretKey ? createSecretBox(settings.webhookSecretKey) : undefined;
        if (!secretBox)
          logger.warn('webhook signing secrets are stored unencrypted: set GATEWAY_WEBHOOK_SECRET_KEY');
        dispatcher = startWebhookDispatcher({
          db,
          eventLog,
          logger,
          ssrfAllowlist: allowlist,
          ...(secretBox ? { secretBox } : {}),
          ...(ports.registry ? { registry: ports.registry } : {}),
        });
        extraRoutes.push(
          ...subscriptionRouteSpecs({
            eventLog,
            db,
            logger,
            ssrfAllowlist: allowlist,
            ...(secretBox ? { secretBox } : {}),
            ...(ports.registry ? { registry: ports.registry } : {}),
          }),
        );
      }
      inner = createGatewayApp({
        query: ports.query,
        collector: ports.collector,
        broker,
        db,
        logger,
        redis: ports.redis,
        embedderInfo: ports.embedderInfo,
        registry: ports.registry,
        prisma,
        cache,
        extraRoutes,
        ...(ports.rootRouters ? { rootRouters: ports.rootRouters } : {}),
        settings,
      });
      logger.info('gateway started', {
        schema: db.schema,
        cache: cache.kind,
        rateLimits: ports.redis ? 'redis' : 'memory',
      });
    },
    async stop() {
      inner = undefined;
      await cacheSubscription?.close();
      await dispatcher?.stop();
      await eventLog?.stop();
      await prisma?.$disconnect();
      logger.info('gateway stopped');
    },
  };
}
