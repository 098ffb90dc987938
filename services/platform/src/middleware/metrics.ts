import { decideFailure } from '../broker/failure-policy.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from '../broker/port.js';
import type { BrokerMetrics, ConsumeOutcome } from '../runtime/metrics.js';
import type { Middleware } from './compose.js';
import { observeDelivery } from './delivery-note.js';

export interface MetricsMiddlewareOptions {
  /** The subscription's `maxAttempts`, to tell a retried failure from a dead-lettered one. */
  maxAttempts?: number;
}

const OUTCOME = { retry: 'retry', defer: 'defer', 'dead-letter': 'dead_letter' } as const;

/**
 * Counts every delivery by outcome and times the handler. Errors are rethrown untouched: the
 * adapter still decides retry / defer / dead-letter, with the same policy this reads them by.
 */
export function withMetrics(metrics: BrokerMetrics, options: MetricsMiddlewareOptions = {}): Middleware {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  return (next) => async (message) => {
    const { group, type } = message;
    const startedAt = performance.now();
    let outcome: ConsumeOutcome = 'ack';
    try {
      const note = await observeDelivery(() => next(message));
      if (note.duplicate) outcome = 'duplicate';
    } catch (err) {
      outcome = OUTCOME[decideFailure(err, message.attempt, maxAttempts, DEFAULT_BACKOFF).kind];
      if (outcome === 'retry') metrics.retried(group, type);
      if (outcome === 'dead_letter') metrics.deadLettered(group, type);
      throw err;
    } finally {
      metrics.handlerDuration(group, type, (performance.now() - startedAt) / 1000);
      metrics.consumed(group, type, outcome);
    }
  };
}
