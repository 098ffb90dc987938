import { z } from 'zod';
import { isoTimestamp, resourceId } from './common.js';

// REST contracts of the gateway's subscriptions API: the SSE stream, webhook subscriptions and
// their deliveries, and the event history. Event type names are checked against the catalog by
// the gateway (an unknown name is a 422 naming it), so these schemas only bound their shape.

/** Event types as a list or comma-separated: full (`trendmill.cluster.created.v1`) or short (`cluster.created`). */
export const eventTypesInput = z
  .union([z.array(z.string().max(200)).min(1).max(50), z.string().min(1).max(2_000)])
  .describe('event types, full (trendmill.cluster.created.v1) or short (cluster.created, every version)');

/** The same in a query string: comma-separated or repeated (`?types=a&types=b`). */
export const eventTypesParam = z
  .union([z.string().max(2_000), z.array(z.string().max(200)).max(50)])
  .optional()
  .describe('event types, comma-separated or repeated; all types when absent');

/** An event log sequence number (what SSE ids and history pages carry). */
export const eventSequence = z
  .string()
  .regex(/^[0-9]{1,15}$/, 'must be a non-negative integer event sequence number')
  .transform(Number);

export const subscriptionParams = z.object({ id: resourceId });

export const createSubscriptionBody = z
  .object({
    url: z.string().min(1).max(2_048).describe('https URL that receives the deliveries (SSRF-guarded)'),
    types: eventTypesInput,
    secret: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional()
      .describe('HMAC-SHA256 signing secret; generated (whsec_...) when absent'),
  })
  .strict();
export type CreateSubscriptionBody = z.infer<typeof createSubscriptionBody>;

/** A webhook subscription as the API shows it: never with its secret. */
export const webhookSubscription = z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  disabledAt: isoTimestamp.nullable(),
  consecutiveFailures: z.number().int(),
  lastSuccessAt: isoTimestamp.nullable(),
  lastFailureAt: isoTimestamp.nullable(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});
export type WebhookSubscriptionView = z.infer<typeof webhookSubscription>;

/** The creation answer, the only one that carries the signing secret. */
export const createdWebhookSubscription = webhookSubscription.extend({
  secret: z.string().describe('the signing secret; shown in this response only'),
});

export const webhookSubscriptionList = z.object({ subscriptions: z.array(webhookSubscription) });

export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
});

export const webhookDelivery = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  eventSeq: z.number().int(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: isoTimestamp.nullable(),
  lastAttemptAt: isoTimestamp.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: isoTimestamp.nullable(),
  createdAt: isoTimestamp,
});

export const webhookDeliveryList = z.object({ deliveries: z.array(webhookDelivery) });

export const eventStreamQuery = z.object({
  types: eventTypesParam,
  lastEventId: eventSequence
    .optional()
    .describe('resume after this sequence (the Last-Event-ID header wins when both are sent)'),
});

export const eventHistoryQuery = z.object({
  types: eventTypesParam,
  after: eventSequence.optional().describe('the `next` of the previous page; 0 from the start'),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export const eventHistoryPage = z.object({
  events: z.array(
    z.object({
      seq: z.number().int(),
      id: z.string(),
      type: z.string(),
      subject: z.string(),
      time: z.string(),
      appendedAt: z.string(),
      event: z.unknown().describe('the CloudEvent as published'),
    }),
  ),
  next: z.number().int().optional().describe('pass back as `after`; absent on the last page'),
});

/** What `GET /stream` answers: `text/event-stream` with one `data:` line of CloudEvent JSON per event. */
export const eventStreamBody = z
  .string()
  .describe(
    'Server-Sent Events: `id: <seq>`, `event: <type>`, `data: <CloudEvent JSON>`; `: heartbeat` comments; a `gap` event when resuming from before retention',
  );
