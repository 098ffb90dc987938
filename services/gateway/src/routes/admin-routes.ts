import { z } from 'zod';
import { ApiError, type Broker, type Database } from '@trendmill/platform';
import type { ApiKeyStore } from '../auth/api-key-store.js';
import { SCOPES } from '../auth/scopes.js';
import type { FeatureFlagStore } from '../admin/flag-store.js';
import { databaseStatus, queueStatus } from '../admin/system-status.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { route, type RouteSpec } from './route-spec.js';

export interface AdminDeps {
  broker: Broker;
  db: Database;
  keys: ApiKeyStore;
  flags: FeatureFlagStore;
  cache: ResponseCache;
  queueGroups: readonly string[];
  embedderInfo?: (() => Promise<unknown>) | undefined;
}

const groupName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a service group name');
const dlqQuery = z.object({
  group: groupName.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const replayBody = z.strictObject({
  group: groupName.optional(),
  ids: z.array(z.string().min(1).max(200)).min(1).max(1_000).optional(),
});
const deadLetter = z.object({
  id: z.string(),
  group: z.string(),
  type: z.string(),
  key: z.string().nullable(),
  reason: z.string(),
  attempts: z.number().int(),
  deadLetteredAt: z.string(),
  headers: z.record(z.string(), z.string()),
  /** The event as JSON when it parses, else the raw text. */
  body: z.unknown(),
});
const flagKey = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'expected a lowercase flag key such as dashboard.beta'),
});
const flagBody = z.strictObject({
  enabled: z.boolean(),
  description: z.string().max(500).optional(),
  value: z.json().optional(),
});
const flagView = z.object({
  key: z.string(),
  enabled: z.boolean(),
  description: z.string(),
  value: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const keyView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  display: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
const keyCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.enum(SCOPES)).min(1).max(3),
});
const keysQuery = z.object({ revoked: z.enum(['true', 'false']).default('false') });
const keyParams = z.object({ id: z.string().min(1).max(64) });
const queueList = z.object({
  transport: z.string(),
  queues: z.array(
    z.object({
      group: z.string(),
      depth: z.number().int().nullable(),
      deadLetters: z.number().int().nullable(),
    }),
  ),
});
const dbStatus = z.object({
  backend: z.enum(['postgres', 'pglite']),
  schema: z.string(),
  pool: z.object({ total: z.number(), idle: z.number(), waiting: z.number(), max: z.number() }).nullable(),
  reachable: z.boolean(),
});
const systemStatus = z.object({
  broker: z.object({ transport: z.string(), ready: z.boolean() }),
  queues: queueList.shape.queues,
  database: dbStatus,
  responseCache: z.object({ kind: z.enum(['redis', 'memory']) }),
  /** The embedder's GET /info (live model, cache hit ratio); null when unknown or unreachable. */
  embedder: z.unknown(),
});

/** Operations: dead letters, queue depths, system status, feature flags and API keys. */
export function adminRoutes(deps: AdminDeps): RouteSpec[] {
  const { broker } = deps;
  return [
    route({
      method: 'get',
      path: '/admin/dlq',
      operationId: 'listDeadLetters',
      summary: 'Dead-lettered events with their reasons',
      tag: 'admin',
      scope: 'admin',
      query: dlqQuery,
      responses: {
        200: { description: 'dead letters', schema: z.object({ deadLetters: z.array(deadLetter) }) },
      },
      handle: async ({ query }) => {
        const letters = await broker.deadLetters.list({
          ...(query.group ? { group: query.group } : {}),
          limit: query.limit,
        });
        return {
          body: {
            deadLetters: letters.map((d) => ({
              id: d.id,
              group: d.group,
              type: d.type,
              key: d.key ?? null,
              reason: d.reason,
              attempts: d.attempts,
              deadLetteredAt: d.deadLetteredAt,
              headers: d.headers,
              body: parseBody(d.body),
            })),
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/admin/dlq/replay',
      operationId: 'replayDeadLetters',
      summary: "Send dead letters back to their service's queue (all of a group, or by id)",
      tag: 'admin',
      scope: 'admin',
      body: replayBody,
      responses: {
        200: { description: 'how many were replayed', schema: z.object({ replayed: z.number().int() }) },
      },
      handle: async ({ body }) => ({
        body: {
          replayed: await broker.deadLetters.replay({
            ...(body.group ? { group: body.group } : {}),
            ...(body.ids ? { ids: body.ids } : {}),
          }),
        },
      }),
    }),
    route({
      method: 'get',
      path: '/admin/queues',
      operationId: 'queueDepths',
      summary: "Messages waiting and dead-lettered per service's queue",
      tag: 'admin',
      scope: 'admin',
      responses: { 200: { description: 'queue depths', schema: queueList } },
      handle: async () => ({
        body: { transport: broker.transport, queues: await queueStatus(broker, deps.queueGroups) },
      }),
    }),
    route({
      method: 'get',
      path: '/admin/status',
      operationId: 'systemStatus',
      summary: 'Broker, queues, database pool, response cache and embedding cache at a glance',
      tag: 'admin',
      scope: 'admin',
      responses: { 200: { description: 'status', schema: systemStatus } },
      handle: async () => {
        const [queues, database, embedder] = await Promise.all([
          queueStatus(broker, deps.queueGroups),
          databaseStatus(deps.db),
          deps.embedderInfo ? deps.embedderInfo().catch(() => null) : Promise.resolve(null),
        ]);
        return {
          body: {
            broker: { transport: broker.transport, ready: broker.isReady() },
            queues,
            database,
            responseCache: { kind: deps.cache.kind },
            embedder,
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/admin/flags',
      operationId: 'listFlags',
      summary: 'Feature flags',
      tag: 'admin',
      scope: 'admin',
      responses: { 200: { description: 'flags', schema: z.object({ flags: z.array(flagView) }) } },
      handle: async () => ({ body: { flags: await deps.flags.list() } }),
    }),
    route({
      method: 'get',
      path: '/admin/flags/:key',
      operationId: 'getFlag',
      summary: 'One feature flag',
      tag: 'admin',
      scope: 'admin',
      params: flagKey,
      responses: { 200: { description: 'the flag', schema: flagView } },
      handle: async ({ params }) => {
        const { key } = params as z.infer<typeof flagKey>;
        const flag = await deps.flags.get(key);
        if (!flag) throw new ApiError(404, 'flag_not_found', `no feature flag ${JSON.stringify(key)}`);
        return { body: flag };
      },
    }),
    route({
      method: 'put',
      path: '/admin/flags/:key',
      operationId: 'putFlag',
      summary: 'Create or replace a feature flag',
      tag: 'admin',
      scope: 'admin',
      params: flagKey,
      body: flagBody,
      responses: {
        200: { description: 'replaced', schema: flagView },
        201: { description: 'created', schema: flagView },
      },
      handle: async ({ params, body }) => {
        const { flag, created } = await deps.flags.put((params as z.infer<typeof flagKey>).key, body);
        return { status: created ? 201 : 200, body: flag };
      },
    }),
    route({
      method: 'delete',
      path: '/admin/flags/:key',
      operationId: 'deleteFlag',
      summary: 'Remove a feature flag',
      tag: 'admin',
      scope: 'admin',
      params: flagKey,
      responses: { 204: { description: 'removed' } },
      handle: async ({ params }) => {
        const { key } = params as z.infer<typeof flagKey>;
        if (!(await deps.flags.delete(key)))
          throw new ApiError(404, 'flag_not_found', `no feature flag ${JSON.stringify(key)}`);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/admin/keys',
      operationId: 'listKeys',
      summary: 'API keys (never their secrets)',
      tag: 'admin',
      scope: 'admin',
      query: keysQuery,
      responses: { 200: { description: 'keys', schema: z.object({ keys: z.array(keyView) }) } },
      handle: async ({ query }) => ({
        body: { keys: await deps.keys.list({ includeRevoked: query.revoked === 'true' }) },
      }),
    }),
    route({
      method: 'post',
      path: '/admin/keys',
      operationId: 'createKey',
      summary: 'Create an API key; its plaintext is in this response only',
      tag: 'admin',
      scope: 'admin',
      body: keyCreate,
      responses: { 201: { description: 'the new key', schema: keyView.extend({ key: z.string() }) } },
      handle: async ({ body }) => {
        const { key, view } = await deps.keys.create(body);
        return { status: 201, body: { ...view, key }, headers: { 'cache-control': 'no-store' } };
      },
    }),
    route({
      method: 'delete',
      path: '/admin/keys/:id',
      operationId: 'revokeKey',
      summary: 'Revoke an API key (it stops working at once)',
      tag: 'admin',
      scope: 'admin',
      params: keyParams,
      responses: { 200: { description: 'the revoked key', schema: keyView } },
      handle: async ({ params }) => {
        const { id } = params as z.infer<typeof keyParams>;
        const view = await deps.keys.revoke(id);
        if (!view) throw new ApiError(404, 'key_not_found', `no API key ${JSON.stringify(id)}`);
        return { body: view };
      },
    }),
  ];
}

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
