// Consumer middleware: functions from handler to handler, composed around a service's handlers.
export { compose, type Middleware } from './compose.js';
export {
  eventOf,
  toMessageHandler,
  validateEvents,
  type EventHandler,
  type EventMessage,
  type ParseEvent,
  type ParseResult,
} from './validate.js';
export {
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  idempotent,
  type IdempotencyStore,
  type IdempotentOptions,
  type RedisIdempotencyClient,
  type RedisIdempotencyOptions,
} from './idempotency.js';
export { withCorrelation } from './correlation.js';
export { withMetrics, type MetricsMiddlewareOptions } from './metrics.js';
export {
  defineSubscriptions,
  subscribeAll,
  type SubscribeOptions,
  type Subscriptions,
} from './subscriptions.js';
export { consumerMiddleware, type ConsumerMiddlewareOptions } from './consumer.js';
export { noteDuplicate, observeDelivery, type DeliveryNote } from './delivery-note.js';
