import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { processRegistry } from '@trendmill/platform';

/** What the gateway's event log, SSE streams and webhooks report on /metrics. */
export interface SubscriptionMetrics {
  eventsAppended: Counter<'type'>;
  sseClients: Gauge;
  sseEventsSent: Counter;
  webhookDeliveries: Counter<'outcome'>;
  webhookDeliveryDuration: Histogram;
  webhookSubscriptionsDisabled: Counter;
  webhookPending: Gauge;
}

const byRegistry = new WeakMap<Registry, SubscriptionMetrics>();

/** One set per registry: replicas and tests in one process share it instead of re-registering. */
export function subscriptionMetrics(registry: Registry = processRegistry('gateway')): SubscriptionMetrics {
  let found = byRegistry.get(registry);
  if (found) return found;
  const registers = [registry];
  found = {
    eventsAppended: new Counter({
      name: 'trendmill_gateway_events_appended_total',
      help: 'Events appended to the gateway event log (repeats of a known id are not counted)',
      labelNames: ['type'],
      registers,
    }),
    sseClients: new Gauge({
      name: 'trendmill_gateway_sse_clients',
      help: 'Open Server-Sent Events streams',
      registers,
    }),
    sseEventsSent: new Counter({
      name: 'trendmill_gateway_sse_events_sent_total',
      help: 'Events written to SSE streams',
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'trendmill_gateway_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (delivered, retry, failed, deferred)',
      labelNames: ['outcome'],
      registers,
    }),
    webhookDeliveryDuration: new Histogram({
      name: 'trendmill_gateway_webhook_delivery_duration_seconds',
      help: 'Time for one webhook POST, until the response status',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookSubscriptionsDisabled: new Counter({
      name: 'trendmill_gateway_webhook_subscriptions_disabled_total',
      help: 'Subscriptions disabled after too many consecutive failed deliveries',
      registers,
    }),
    webhookPending: new Gauge({
      name: 'trendmill_gateway_webhook_deliveries_claimed',
      help: 'Webhook deliveries this replica has in flight',
      registers,
    }),
  };
  byRegistry.set(registry, found);
  return found;
}
