import express, { type Express, type Request, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import {
  apiErrorHandler,
  createPrismaClient,
  jsonBody,
  notFound,
  type Broker,
  type Database,
  type Logger,
} from '@trendmill/platform';
import type { QueryApi } from '@trendmill/query';
import { FeatureFlagStore } from './admin/flag-store.js';
import { DEFAULT_QUEUE_GROUPS } from './admin/system-status.js';
import { ApiKeyStore } from './auth/api-key-store.js';
import { apiKeyOf, authenticate } from './auth/authenticate.js';
import {
  createMemoryResponseCache,
  createRedisResponseCache,
  type ResponseCache,
} from './cache/response-cache.js';
import { dashboardRouter } from './dashboard/index.js';
import { translateError } from './http/errors.js';
import { gatewayMetrics } from './http/metrics.js';
import { requestId } from './http/request-id.js';
import { apiSecurityHeaders, corsFor, docsSecurityHeaders } from './http/security.js';
import { rejectNulInUrl } from './http/url-guard.js';
import { buildOpenApi } from './openapi/document.js';
import { swaggerUi } from './openapi/swagger-ui.js';
import { createLimiter, penalise, rateLimit } from './rate-limit/rate-limiter.js';
import { adminRoutes } from './routes/admin-routes.js';
import { buildRouter } from './routes/build-router.js';
import { collectorForwarder, type CollectorTarget } from './routes/collector-forwarder.js';
import { collectorRoutes } from './routes/collector-routes.js';
import { flagRoutes } from './routes/flag-routes.js';
import { queryRoutes } from './routes/query-routes.js';
import { routeGate } from './routes/route-gate.js';
import type { RouteSpec } from './routes/route-spec.js';
import { PrismaClient } from './store/prisma.js';

export const API_VERSION = '1.0.0';

export interface GatewaySettings {
  /** Requests per minute per API key (default 600). */
  rateLimitPerMinute?: number;
  /** Failed authentications per minute per client address before 429 (default 30). */
  authFailuresPerMinute?: number;
  /** Origins allowed by CORS (`*` for any); none by default. */
  corsOrigins?: readonly string[];
  /** Largest request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Lifetime of cached responses (default 30 s; cluster events invalidate sooner). */
  cacheTtlSeconds?: number;
  /** Cache the cluster list, cluster detail and trends (default true). */
  responseCache?: boolean;
  /** Broker groups whose queues /admin/queues reports. */
  queueGroups?: readonly string[];
  /** Express "trust proxy" (for the client address behind a load balancer). */
  trustProxy?: boolean | number | string;
  /** Prefix of every Redis key the gateway writes (default `trendmill:gateway`). */
  redisKeyPrefix?: string;
}

export interface GatewayAppDeps {
  query: QueryApi;
  /** The collector's express app (embedded) or its URL (distributed). */
  collector: CollectorTarget;
  broker: Broker;
  /** The gateway's schema, migrated (see GATEWAY_MIGRATIONS_DIR). */
  db: Database;
  logger: Logger;
  /** Shared rate limits and response cache; in-process when absent. */
  redis?: Redis | undefined;
  /** The embedder's GET /info, for /admin/status. */
  embedderInfo?: (() => Promise<unknown>) | undefined;
  /** Routers mounted at the root before everything else, each with its own headers (the dashboard). */
  rootRouters?: readonly Router[];
  /** Routes served and documented beside the core ones (the subscriptions API). */
  extraRoutes?: readonly RouteSpec[];
  registry?: Registry | undefined;
  prisma?: PrismaClient;
  /** Given to share one cache with the invalidation subscription. */
  cache?: ResponseCache;
  settings?: GatewaySettings;
}

export interface GatewayApp extends Express {
  /** The route table the router and the OpenAPI document were built from. */
  readonly routeSpecs: readonly RouteSpec[];
  /** Always empty: every route, the subscriptions included, is in routeSpecs (kept for callers that enumerate routers). */
  readonly extraRouters: readonly Router[];
}

/** The public gateway: /api/v1 (authenticated, rate-limited, validated), /api/v1/openapi.json and /docs. */
export function createGatewayApp(deps: GatewayAppDeps): GatewayApp {
  const settings = deps.settings ?? {};
  const { logger } = deps;
  const metrics = gatewayMetrics(deps.registry);
  const prisma = deps.prisma ?? createPrismaClient(PrismaClient, deps.db);
  const keys = new ApiKeyStore(prisma);
  const flags = new FeatureFlagStore(prisma);
  const prefix = settings.redisKeyPrefix ?? 'trendmill:gateway';
  const cache = deps.cache ?? responseCacheFor(deps.redis, settings);

  const specs: RouteSpec[] = [
    ...queryRoutes(deps.query),
    ...collectorRoutes(collectorForwarder(deps.collector)),
    ...flagRoutes(flags),
    ...adminRoutes({
      broker: deps.broker,
      db: deps.db,
      keys,
      flags,
      cache,
      queueGroups: settings.queueGroups ?? DEFAULT_QUEUE_GROUPS,
      embedderInfo: deps.embedderInfo,
    }),
    ...(deps.extraRoutes ?? []),
  ];
  const openapi = buildOpenApi({ routes: specs, version: API_VERSION });

  const perKey = createLimiter({
    points: settings.rateLimitPerMinute ?? 600,
    ...(deps.redis ? { redis: deps.redis } : {}),
    keyPrefix: `${prefix}:rl:key`,
  });
  const authFailures = createLimiter({
    points: settings.authFailuresPerMinute ?? 30,
    ...(deps.redis ? { redis: deps.redis } : {}),
    keyPrefix: `${prefix}:rl:authfail`,
  });

  const app = express() as GatewayApp;
  Object.defineProperty(app, 'routeSpecs', { value: specs });
  Object.defineProperty(app, 'extraRouters', { value: [] });
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy ?? false);
  app.use(requestId());
  app.use(rejectNulInUrl());
  app.use((req: Request, res: Response, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route =
        typeof res.locals.routeLabel === 'string'
          ? res.locals.routeLabel
          : req.route
            ? `${req.baseUrl}${String(req.route.path)}`
            : 'unmatched';
      metrics.requests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.duration.observe(
        { route, method: req.method },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  });
  const corsHandler = corsFor(settings.corsOrigins ?? []);
  if (corsHandler) app.use(corsHandler);

  for (const router of deps.rootRouters ?? []) app.use(router);
  app.use(dashboardRouter()); // GET / and /dashboard/*, with its own same-origin CSP
  app.use('/docs', docsSecurityHeaders(), swaggerUi('/api/v1/openapi.json'));
  app.use(apiSecurityHeaders());
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  api.use(routeGate(specs));
  api.use(
    authenticate(keys, async (req) => {
      try {
        await penalise(authFailures, req.ip ?? 'unknown');
      } catch (err) {
        metrics.rateLimited.inc({ reason: 'auth_failures' });
        throw err;
      }
    }),
  );
  api.use(
    rateLimit(
      perKey,
      (_req, res) => apiKeyOf(res)!.id,
      () => metrics.rateLimited.inc({ reason: 'key' }),
    ),
  );
  api.use(jsonBody(settings.maxBodyBytes ?? 1024 * 1024));
  api.use(
    buildRouter(specs, { cache: settings.responseCache === false ? undefined : cache, metrics, logger }),
  );
  app.use('/api/v1', api);

  app.use(notFound());
  app.use(apiErrorHandler({ logger, service: 'gateway', translate: translateError }));
  return app;
}

/** Redis when given (shared by replicas), an in-process LRU otherwise. */
export function responseCacheFor(redis: Redis | undefined, settings: GatewaySettings = {}): ResponseCache {
  const ttlSeconds = settings.cacheTtlSeconds ?? 30;
  return redis
    ? createRedisResponseCache(redis, {
        ttlSeconds,
        prefix: `${settings.redisKeyPrefix ?? 'trendmill:gateway'}:cache`,
      })
    : createMemoryResponseCache({ ttlSeconds });
}
