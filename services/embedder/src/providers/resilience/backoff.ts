export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound of any single delay. */
  maxMs: number;
}

/**
 * Delay before retry number `retry` (1-based): `baseMs · 2^(retry-1)`, capped at `maxMs`, with
 * "equal jitter": half of it fixed, half random. The fixed half keeps a retry from firing
 * immediately; the random half spreads out many clients that failed at the same moment.
 */
export function backoffDelay(retry: number, { baseMs, maxMs }: BackoffOptions, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
