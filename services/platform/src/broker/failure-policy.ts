import type { BackoffPolicy } from './port.js';
import { backoffDelay } from './port.js';
import { DeferDelivery, PermanentFailure, describeError, type FailureDecision } from './errors.js';

/** Turns a handler error into retry, defer or dead-letter, identically for every adapter. */
export function decideFailure(
  err: unknown,
  attempt: number,
  maxAttempts: number,
  backoff: BackoffPolicy,
): FailureDecision {
  const reason = describeError(err);
  if (err instanceof PermanentFailure) return { kind: 'dead-letter', reason };
  if (err instanceof DeferDelivery) return { kind: 'defer', delayMs: err.delayMs, attempt, reason };
  if (attempt >= maxAttempts) return { kind: 'dead-letter', reason: `${reason} (after ${attempt} attempts)` };
  return { kind: 'retry', delayMs: backoffDelay(backoff, attempt), nextAttempt: attempt + 1, reason };
}
