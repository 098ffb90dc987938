import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ApiError, apiErrorHandler, jsonBody, type Database, type Logger } from '@trendmill/platform';
import {
  createSubscriptionBody,
  createdWebhookSubscription,
  deliveriesQuery,
  eventHistoryPage,
  eventHistoryQuery,
  eventSequence,
  eventStreamBody,
  eventStreamQuery,
  subscriptionParams,
  webhookDeliveryList,
  webhookSubscription,
  webhookSubscriptionList,
} from '@trendmill/shared-contracts';
import type { Registry } from 'prom-client';
import type { LookupFunction } from '@trendmill/collector';
import type { Scope } from '../../auth/scopes.js';
import { buildRouter } from '../../routes/build-router.js';
import { route, type RouteSpec } from '../../routes/route-spec.js';
import type { EventLog } from '../event-log/event-log.js';
import { subscriptionMetrics } from '../metrics.js';
import { openEventStream } from '../sse/event-stream.js';
import { DeliveryStore } from '../webhooks/delivery-store.js';
import type { SecretBox } from '../webhooks/secret-box.js';
import { SubscriptionStore, generateWebhookSecret } from '../webhooks/subscription-store.js';
import { WebhookUrlError, checkWebhookUrl, createAddressPolicy } from '../webhooks/webhook-url.js';
import { eventTypesFrom } from './validation.js';

export type { Scope };

export interface SubscriptionRoutesDeps {
  eventLog: EventLog;
  db: Database;
  logger: Logger;
  /** CIDRs / host names webhook URLs may point at although the SSRF guard would refuse them. */
  ssrfAllowlist?: readonly string[];
  /**
   * The scope check of a standalone router (`subscriptionRoutes`); none admits every request.
   * Inside the gateway the route table's own check applies: stream and reads need read, changes
   * write, history admin.
   */
  requireScope?: (scope: Scope) => RequestHandler;
  /** SSE comment sent this often to keep proxies from closing idle streams (default 15 s). */
  heartbeatMs?: number;
  /** Most SSE streams open at once on this replica (default 1,000); more get 503. */
  maxStreams?: number;
  registry?: Registry;
  /** Name resolution for the registration-time SSRF check (tests). */
  lookup?: LookupFunction;
  /** Seals signing secrets at rest (see secret-box.ts); stored plain without one. */
  secretBox?: SecretBox;
}

const streamHeaders = z.object({
  'last-event-id': eventSequence.optional().describe('resume after this sequence (sent by EventSource)'),
});

type IdParams = z.infer<typeof subscriptionParams>;
type StreamHeaders = z.infer<typeof streamHeaders>;

/**
 * The subscription API as route specs, so the gateway builds its router and its OpenAPI document
 * from one list: `GET /stream` (Server-Sent Events), webhook subscriptions under `/subscriptions`,
 * and the event history under `/admin/events`.
 */
export function subscriptionRouteSpecs(deps: SubscriptionRoutesDeps): RouteSpec[] {
  const { eventLog, logger } = deps;
  const metrics = subscriptionMetrics(deps.registry);
  const subscriptions = new SubscriptionStore(deps.db.sql, deps.db.schema, deps.secretBox);
  const deliveries = new DeliveryStore(deps.db.sql, deps.db.schema);
  const policy = createAddressPolicy(deps.ssrfAllowlist);
  const maxStreams = deps.maxStreams ?? 1_000;
  let openStreams = 0;

  const found = async (id: string) => {
    const subscription = await subscriptions.get(id);
    if (!subscription) throw notFound(id);
    return subscription;
  };

  return [
    route({
      method: 'get',
      path: '/stream',
      operationId: 'streamEvents',
      summary: 'Server-Sent Events of the chosen types, resumable with Last-Event-ID',
      tag: 'subscriptions',
      scope: 'read',
      query: eventStreamQuery,
      headers: streamHeaders,
      responses: {
        200: {
          description: 'an endless event stream',
          schema: eventStreamBody,
          contentType: 'text/event-stream',
        },
        503: { description: 'too_many_streams: this replica serves its maximum; see Retry-After' },
      },
      handle: async ({ req, res, query, headers }) => {
        const types = eventTypesFrom(query.types, 'query', { required: false });
        const after = (headers as StreamHeaders)['last-event-id'] ?? query.lastEventId;
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
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/subscriptions',
      operationId: 'createSubscription',
      summary: 'Register a webhook for event types; the signing secret is shown once, here',
      tag: 'subscriptions',
      scope: 'write',
      body: createSubscriptionBody,
      responses: {
        201: { description: 'the subscription with its secret', schema: createdWebhookSubscription },
      },
      handle: async ({ body }) => {
        const types = eventTypesFrom(body.types, 'body', { required: true });
        let url: URL;
        try {
          url = await checkWebhookUrl(body.url, { policy, ...(deps.lookup ? { lookup: deps.lookup } : {}) });
        } catch (error) {
          if (!(error instanceof WebhookUrlError)) throw error;
          throw new ApiError(422, error.code, error.message, [
            { in: 'body', path: 'url', message: error.message },
          ]);
        }
        const secret = body.secret ?? generateWebhookSecret();
        const created = await subscriptions.create({ url: url.href, types, secret });
        logger.info('webhook subscription created', { subscriptionId: created.id, types });
        return {
          status: 201,
          body: { ...created, secret },
          headers: { location: `subscriptions/${created.id}`, 'cache-control': 'no-store' },
        };
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions',
      operationId: 'listSubscriptions',
      summary: 'Webhook subscriptions (without their secrets)',
      tag: 'subscriptions',
      scope: 'read',
      responses: { 200: { description: 'the subscriptions', schema: webhookSubscriptionList } },
      handle: async () => ({ body: { subscriptions: await subscriptions.list() } }),
    }),
    route({
      method: 'get',
      path: '/subscriptions/:id',
      operationId: 'getSubscription',
      summary: 'One webhook subscription: state, failures, last success',
      tag: 'subscriptions',
      scope: 'read',
      params: subscriptionParams,
      responses: { 200: { description: 'the subscription', schema: webhookSubscription } },
      handle: async ({ params }) => ({ body: await found((params as IdParams).id) }),
    }),
    route({
      method: 'delete',
      path: '/subscriptions/:id',
      operationId: 'deleteSubscription',
      summary: 'Remove a webhook subscription and its delivery log',
      tag: 'subscriptions',
      scope: 'write',
      params: subscriptionParams,
      responses: { 204: { description: 'removed' } },
      handle: async ({ params }) => {
        const { id } = params as IdParams;
        if (!(await subscriptions.delete(id))) throw notFound(id);
        logger.info('webhook subscription deleted', { subscriptionId: id });
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/subscriptions/:id/enable',
      operationId: 'enableSubscription',
      summary: 'Re-enable a subscription disabled after repeated failures',
      tag: 'subscriptions',
      scope: 'write',
      params: subscriptionParams,
      responses: { 200: { description: 'the enabled subscription', schema: webhookSubscription } },
      handle: async ({ params }) => {
        const { id } = params as IdParams;
        const enabled = await subscriptions.enable(id);
        if (!enabled) throw notFound(id);
        logger.info('webhook subscription enabled', { subscriptionId: id });
        return { body: enabled };
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions/:id/deliveries',
      operationId: 'listSubscriptionDeliveries',
      summary: "A subscription's deliveries, newest first, with attempts and last error",
      tag: 'subscriptions',
      scope: 'read',
      params: subscriptionParams,
      query: deliveriesQuery,
      responses: { 200: { description: 'the deliveries', schema: webhookDeliveryList } },
      handle: async ({ params, query }) => {
        const { id } = params as IdParams;
        await found(id);
        const list = await deliveries.list(id, {
          limit: query.limit,
          ...(query.status ? { status: query.status } : {}),
        });
        return { body: { deliveries: list } };
      },
    }),
    route({
      method: 'get',
      path: '/admin/events',
      operationId: 'listEventHistory',
      summary: 'The event history (what SSE and webhooks deliver), filtered and paged',
      tag: 'admin',
      scope: 'admin',
      query: eventHistoryQuery,
      responses: { 200: { description: 'a page of events', schema: eventHistoryPage } },
      handle: async ({ query }) => {
        const types = eventTypesFrom(query.types, 'query', { required: false });
        const entries = await eventLog.read(query.after ?? 0, types, query.limit);
        return {
          body: {
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
            ...(entries.length === query.limit ? { next: entries[entries.length - 1]!.seq } : {}),
          },
        };
      },
    }),
  ];
}

/**
 * The same routes as a standalone router (a bare app in tests and benchmarks, without the
 * gateway's keys): JSON bodies, the specs, and the shared error shape.
 */
export function subscriptionRoutes(deps: SubscriptionRoutesDeps): Router {
  const router = Router();
  router.use(jsonBody(64 * 1024));
  router.use(
    buildRouter(subscriptionRouteSpecs(deps), {
      cache: undefined,
      logger: deps.logger,
      authorize: deps.requireScope ?? (() => (_req, _res, next) => next()),
    }),
  );
  router.use(apiErrorHandler({ logger: deps.logger, service: 'gateway' }));
  return router;
}

function notFound(id: string): ApiError {
  return new ApiError(
    404,
    'subscription_not_found',
    `no webhook subscription ${JSON.stringify(id.slice(0, 100))}`,
  );
}
