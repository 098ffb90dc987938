export interface RetryPolicy {
  /** Retries after the first attempt; 0 = fail at once. */
  retries: number;
  /** The first backoff; each next one doubles, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After than this is not waited out: the import stops and says so. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
};

/**
 * How long to wait before retry number `attempt` (1-based): exponential, with the upper half
 * jittered so many importers hitting one recovering collector do not retry in lockstep.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Statuses worth retrying: the collector (or a proxy before it) is overloaded, restarting or
 * rate-limiting. Every other 4xx means the request itself is wrong and would fail again.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
