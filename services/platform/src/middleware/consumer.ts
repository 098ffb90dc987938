import type { BrokerMetrics } from '../runtime/metrics.js';
import { compose, type Middleware } from './compose.js';
import { withCorrelation } from './correlation.js';
import { idempotent, type IdempotencyStore, type IdempotentOptions } from './idempotency.js';
import { withMetrics } from './metrics.js';
import { validateEvents, type ParseEvent } from './validate.js';

export interface ConsumerMiddlewareOptions<E> {
  parse: ParseEvent<E>;
  metrics: BrokerMetrics;
  /** Leave out when handlers are idempotent by themselves (inbox table, versioned upserts). */
  idempotency?: IdempotencyStore;
  idempotencyOptions?: IdempotentOptions;
  /** The subscription's maxAttempts, so metrics tell retries from dead letters. */
  maxAttempts?: number;
}

/**
 * The usual consumer chain, outermost first: metrics see every outcome (rejections and duplicates
 * too); validation comes before correlation, which reads the parsed envelope; duplicates are
 * dropped inside the event's span, so even a skipped delivery is traced and logged with its ids.
 */
export function consumerMiddleware<E>(options: ConsumerMiddlewareOptions<E>): Middleware {
  return compose(
    withMetrics(
      options.metrics,
      options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts },
    ),
    validateEvents(options.parse),
    withCorrelation(),
    ...(options.idempotency ? [idempotent(options.idempotency, options.idempotencyOptions)] : []),
  );
}
