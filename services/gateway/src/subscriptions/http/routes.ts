import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ApiError, apiErrorHandler, type Database, type Logger } from '@trendmill/platform';
import type { Registry } from 'prom-client';
import type { EventLog } from '../event-log/event-log.js';
import { subscriptionMetrics } from '../metrics.js';
import { openEventStream } from '../sse/event-stream.js';
import { DeliveryStore } from '../webhooks/delivery-store.js';
import { SubscriptionStore, generateWebhookSecret } from '../webhooks/subscription-store.js';
import { WebhookUrlError, checkWebhookUrl, createAddressPolicy } from '../webhooks/webhook-url.js';
import type { LookupFunction } from '@trendmill/collector';
import { eventTypesFrom, parseInput, sequenceFrom } from './validation.js';

export type Scope = 'read' | 'write' | 'admin';

export interface SubscriptionRoutesDeps {
  eventLog: EventLog;
  db: Database;
  logger: Logger;
  /** CIDRs / host names webhook URLs may point at although the SSRF guard would refuse them. */
  ssrfAllowlist?: readonly string[];
  /** Guards each route with a scope: stream and reads need read, changes write, history admin. */
  requireScope?: (scope: Scope) => RequestHandler;
  /** SSE comment sent this often to keep proxies from closing idle streams (default 15 s). */
  heartbeatMs?: number;
  /** Most SSE streams open at once on this replica (default 1,000); more get 503. */
  maxStreams?: number;
  registry?: Registry;
  /** Name resolution for the registration-time SSRF check (tests). */
  lookup?: LookupFunction;
}

const createSubscription = z
  .object({
    url: z.string().min(1).max(2_048),
    types: z.union([z.array(z.string().max(200)).min(1).max(50), z.string().min(1).max(2_000)]),
    secret: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  })
  .strict();

const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
});

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

/**
 * The gateway's subscription API: `GET /stream` (Server-Sent Events), webhook subscriptions
 * under `/subscriptions`, and the event history under `/admin/events`. Errors follow the
 * platform's `{ error: { code, message, details } }` shape.
 */
export function subscriptionRoutes(deps: SubscriptionRoutesDeps): Router {
  const { eventLog, logger } = deps;
  const router = Router();
  const metrics = subscriptionMetrics(deps.registry);
  const subscriptions = new SubscriptionStore(deps.db.sql, deps.db.schema);
  const deliveries = new DeliveryStore(deps.db.sql, deps.db.schema);
  const policy = createAddressPolicy(deps.ssrfAllowlist);
  const maxStreams = deps.maxStreams ?? 1_000;
  const scope = (s: Scope): RequestHandler[] => (deps.requireScope ? [deps.requireScope(s)] : []);
  const json = express.json({ limit: '64kb', type: () => true });
  let openStreams = 0;

  router.get('/stream', ...scope('read'), (req, res) => {
    const types = eventTypesFrom(req.query.types, 'types', { required: false });
    const after = sequenceFrom(req.get('last-event-id') ?? req.query.lastEventId, 'lastEventId');
    if (openStreams >= maxStreams)
      throw new ApiError(
        503,
        'too_many_streams',
        'this gateway serves its maximum of open streams',
        undefined,
        {
          'retry-after': '5',
        },
      );
    openStreams++;
    res.on('close', () => openStreams--);
    openEventStream(req, res, {
      eventLog,
      types,
      after,
      heartbeatMs: deps.heartbeatMs ?? 15_000,
      retryMs: 3_000,
      pageSize: 500,
      metrics,
      logger,
    });
  });

  router.post('/subscriptions', ...scope('write'), json, async (req, res) => {
    const body = parseInput(createSubscription, req.body);
    const types = eventTypesFrom(body.types, 'types', { required: true });
    let url: URL;
    try {
      url = await checkWebhookUrl(body.url, { policy, ...(deps.lookup ? { lookup: deps.lookup } : {}) });
    } catch (error) {
      if (!(error instanceof WebhookUrlError)) throw error;
      throw new ApiError(422, error.code, error.message, [{ path: 'url', message: error.message }]);
    }
    const secret = body.secret ?? generateWebhookSecret();
    const created = await subscriptions.create({ url: url.href, types, secret });
    logger.info('webhook subscription created', { subscriptionId: created.id, types });
    res
      .status(201)
      .location(`subscriptions/${created.id}`)
      .json({ ...created, secret });
  });

  router.get('/subscriptions', ...scope('read'), async (_req, res) => {
    res.json({ subscriptions: await subscriptions.list() });
  });

  router.get('/subscriptions/:id', ...scope('read'), async (req, res) => {
    res.json(await found(String(req.params.id)));
  });

  router.delete('/subscriptions/:id', ...scope('write'), async (req, res) => {
    const id = String(req.params.id);
    if (!(await subscriptions.delete(id))) throw notFound(id);
    logger.info('webhook subscription deleted', { subscriptionId: id });
    res.status(204).end();
  });

  router.post('/subscriptions/:id/enable', ...scope('write'), async (req, res) => {
    const id = String(req.params.id);
    const enabled = await subscriptions.enable(id);
    if (!enabled) throw notFound(id);
    logger.info('webhook subscription enabled', { subscriptionId: id });
    res.json(enabled);
  });

  router.get('/subscriptions/:id/deliveries', ...scope('read'), async (req, res) => {
    const id = String(req.params.id);
    const query = parseInput(deliveriesQuery, req.query, 'query');
    await found(id);
    const list = await deliveries.list(id, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
    });
    res.json({ deliveries: list });
  });

  router.get('/admin/events', ...scope('admin'), async (req, res) => {
    const types = eventTypesFrom(req.query.types, 'types', { required: false });
    const after = sequenceFrom(req.query.after, 'after') ?? 0;
    const { limit } = parseInput(historyQuery, { limit: req.query.limit }, 'query');
    const entries = await eventLog.read(after, types, limit);
    res.json({
      events: entries.map((e) => ({
        seq: e.seq,
        id: e.id,
        type: e.type,
        subject: e.subject,
        time: e.time,
        appendedAt: e.appendedAt,
        event: JSON.parse(e.payload) as unknown,
      })),
      // Pass back as `after` for the next page; absent when this page was the last.
      ...(entries.length === limit ? { next: entries[entries.length - 1]!.seq } : {}),
    });
  });

  router.use(apiErrorHandler({ logger, service: 'gateway' }));
  return router;

  async function found(id: string) {
    const subscription = await subscriptions.get(id);
    if (!subscription) throw notFound(id);
    return subscription;
  }
}

function notFound(id: string): ApiError {
  return new ApiError(
    404,
    'subscription_not_found',
    `no webhook subscription ${JSON.stringify(id.slice(0, 100))}`,
  );
}
