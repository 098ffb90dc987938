// The gateway's subscriptions: the event log behind SSE and webhooks, the routes, the webhook
// dispatcher, and the signature check receivers use. G1's app mounts `subscriptionRoutes`.
import { fileURLToPath } from 'node:url';

export {
  startEventLog,
  EVENT_LOG_GROUP,
  DEFAULT_RETENTION_HOURS,
  type EventLog,
  type EventLogDeps,
} from './event-log/event-log.js';
export type { EventLogEntry } from './event-log/event-log-store.js';
export type { AppendListener } from './event-log/tailer.js';
export {
  subscriptionRoutes,
  subscriptionRouteSpecs,
  type Scope,
  type SubscriptionRoutesDeps,
} from './http/routes.js';
export {
  startWebhookDispatcher,
  DEFAULT_WEBHOOK_BACKOFF,
  type WebhookDispatcher,
  type WebhookDispatcherDeps,
} from './webhooks/dispatcher.js';
export {
  createWebhookSender,
  type WebhookRequest,
  type WebhookResult,
  type WebhookSender,
  type WebhookSenderOptions,
} from './webhooks/webhook-sender.js';
export type { WebhookSubscription } from './webhooks/subscription-store.js';
export {
  createSecretBox,
  ensureLocalSecretKey,
  parseSecretKey,
  WEBHOOK_SECRET_KEY_FILE,
  type SecretBox,
} from './webhooks/secret-box.js';
export type { WebhookDelivery, DeliveryStatus } from './webhooks/delivery-store.js';
export {
  verifyWebhookSignature,
  signWebhook,
  computeSignature,
  SIGNATURE_HEADER,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  type SignatureCheck,
  type VerifyOptions,
} from './signature.js';
export { resolveEventTypes, shortName, type ResolvedTypes } from './event-types.js';
export { subscriptionMetrics, type SubscriptionMetrics } from './metrics.js';

/** The gateway's migrations folder (the subscription tables are in 20261205100000_subscriptions). */
export const SUBSCRIPTIONS_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../prisma/migrations', import.meta.url),
);
