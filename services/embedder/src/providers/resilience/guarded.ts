import CircuitBreaker from 'opossum';
import { InvalidEmbeddingInputError, ProviderUnavailableError } from '../port.js';
import { backoffDelay } from './backoff.js';
import { CallTimeoutError, classifyFailure, type Failure } from './failure.js';
import { sleep, withTimeout } from './time-limit.js';

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerOptions {
  /** Share of failed attempts (percent) in the rolling window above which the breaker opens. */
  errorThresholdPercentage: number;
  /** Attempts the rolling window must hold before the breaker may open at all. */
  volumeThreshold: number;
  /** How long the breaker stays open before it lets one trial attempt through (half-open). */
  resetTimeoutMs: number;
  /** Length of the rolling window the failure share is computed over (default 10 s). */
  rollingWindowMs?: number;
}

export interface GuardOptions {
  /** Names the guarded dependency in errors and events (never put secrets here). */
  name: string;
  /** Time limit of one attempt; its request is aborted when it passes. */
  timeoutMs: number;
  /** Extra attempts after the first, for transient failures only. */
  retries: number;
  /** Delay before the first retry (doubled per retry, with jitter). */
  backoffMs: number;
  /** Longest single backoff delay (default 30 × backoffMs). */
  maxBackoffMs?: number;
  /**
   * Longest Retry-After the guard waits out inside one call (default 10 s). A server asking for
   * longer makes the call fail at once with that delay in `retryAfterMs`, so the caller can
   * park the work instead of holding a batch open.
   */
  maxRetryWaitMs?: number;
  breaker: BreakerOptions;
  /** How to read a thrown error (default classifyFailure). */
  classify?: (err: unknown) => Failure;
  /** State changes, attempt outcomes and retries, for metrics and logs. */
  onEvent?: (event: GuardEvent) => void;
  /** Jitter source, replaceable in tests. */
  random?: () => number;
}

export type AttemptOutcome = 'success' | 'failure' | 'timeout' | 'invalid' | 'rejected';

export type GuardEvent =
  | { type: 'state'; name: string; state: BreakerState }
  | { type: 'attempt'; name: string; outcome: AttemptOutcome }
  | { type: 'retry'; name: string; retry: number; delayMs: number; reason: string };

export interface GuardCounters {
  /** `run` calls. */
  calls: number;
  /** Attempts that reached the guarded function. */
  attempts: number;
  successes: number;
  /** Attempts that failed in a way that counts against the breaker (timeouts included). */
  failures: number;
  timeouts: number;
  /** Attempts the server refused as invalid input (do not count against the breaker). */
  invalid: number;
  retries: number;
  /** Attempts refused without calling out because the breaker was open. */
  rejected: number;
  /** Times the breaker opened. */
  opened: number;
}

export interface GuardSnapshot {
  name: string;
  state: BreakerState;
  /** While not closed: how long until the breaker lets a trial attempt through. */
  retryAfterMs?: number;
  counters: GuardCounters;
}

export interface Guard<I, R> {
  run(input: I, options?: { signal?: AbortSignal }): Promise<R>;
  readonly state: BreakerState;
  snapshot(): GuardSnapshot;
  /** Stops the breaker's timers; later runs fail. */
  close(): void;
}

/**
 * Wraps a remote call in a time limit, retries and an opossum circuit breaker.
 *
 * Each attempt gets its own AbortSignal that fires on the time limit (or when the caller's signal
 * fires), and the attempt is abandoned at the limit even if the callee ignores the signal.
 * Transient failures are retried with exponential backoff and jitter, honouring Retry-After.
 * The breaker sees every attempt: when too many fail it opens, and calls fail fast with
 * ProviderUnavailableError carrying the time until it will try again. Refusals of the input
 * (InvalidEmbeddingInputError) and caller aborts are filtered out: they say nothing about the
 * provider's health.
 */
export function guarded<I, R>(
  fn: (input: I, signal: AbortSignal) => Promise<R>,
  options: GuardOptions,
): Guard<I, R> {
  const { name, timeoutMs, retries, backoffMs } = options;
  const maxBackoffMs = options.maxBackoffMs ?? backoffMs * 30;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
  const classify = options.classify ?? classifyFailure;
  const random = options.random ?? Math.random;
  const { resetTimeoutMs } = options.breaker;
  const counters: GuardCounters = {
    calls: 0,
    attempts: 0,
    successes: 0,
    failures: 0,
    timeouts: 0,
    invalid: 0,
    retries: 0,
    rejected: 0,
    opened: 0,
  };
  let openedAt = 0;
  let closed = false;

  const emit = (event: GuardEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A metrics callback must never break the call it observes.
    }
  };

  const attempt = (input: I, callerSignal: AbortSignal | undefined): Promise<R> =>
    withTimeout((signal) => fn(input, signal), timeoutMs, callerSignal, name);

  const breaker = new CircuitBreaker<[I, AbortSignal | undefined], R>(attempt, {
    name,
    timeout: false, // our own per-attempt limit aborts the request; opossum's would only stop waiting
    errorThresholdPercentage: options.breaker.errorThresholdPercentage,
    volumeThreshold: options.breaker.volumeThreshold,
    resetTimeout: resetTimeoutMs,
    rollingCountTimeout: options.breaker.rollingWindowMs ?? 10_000,
    rollingCountBuckets: 10,
    enableSnapshots: false,
    // opossum passes the fire() arguments after the error (its typings only declare the error).
    errorFilter: (err: unknown, ...args: unknown[]) => {
      if ((args[1] as AbortSignal | undefined)?.aborted) return true;
      const kind = classify(err).kind;
      return kind === 'invalid' || kind === 'aborted';
    },
  });
  breaker.on('open', () => {
    openedAt = Date.now();
    counters.opened++;
    emit({ type: 'state', name, state: 'open' });
  });
  breaker.on('halfOpen', () => emit({ type: 'state', name, state: 'halfOpen' }));
  breaker.on('close', () => emit({ type: 'state', name, state: 'closed' }));

  const stateOf = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed');
  const untilTrialMs = (): number | undefined => {
    const state = stateOf();
    if (state === 'open') return Math.max(0, openedAt + resetTimeoutMs - Date.now());
    // Half-open with its trial attempt in flight: the verdict arrives within one attempt's time.
    if (state === 'halfOpen') return Math.min(timeoutMs, resetTimeoutMs);
    return undefined;
  };
  const outcome = (o: AttemptOutcome) => emit({ type: 'attempt', name, outcome: o });

  async function run(input: I, { signal }: { signal?: AbortSignal } = {}): Promise<R> {
    if (closed) throw new Error(`${name}: guard is closed`);
    counters.calls++;
    let lastError: unknown;
    for (let retry = 0; ; retry++) {
      signal?.throwIfAborted();
      try {
        const result = await breaker.fire(input, signal);
        counters.attempts++;
        counters.successes++;
        outcome('success');
        return result;
      } catch (err) {
        if (isOpenBreaker(err)) {
          counters.rejected++;
          outcome('rejected');
          throw new ProviderUnavailableError(
            `${name}: circuit breaker ${stateOf() === 'open' ? 'open' : 'half-open (trial in flight)'} after repeated failures; failing fast`,
            untilTrialMs(),
            { cause: lastError ?? err },
          );
        }
        counters.attempts++;
        if (signal?.aborted) throw err;
        lastError = err;
        const failure = classify(err);
        switch (failure.kind) {
          case 'aborted':
            throw err;
          case 'invalid':
            counters.invalid++;
            outcome('invalid');
            throw new InvalidEmbeddingInputError(`${name} refused the input: ${failure.reason}`, {
              cause: err,
            });
          case 'unknown':
            counters.failures++;
            outcome('failure');
            throw err;
          case 'unavailable':
            counters.failures++;
            outcome('failure');
            throw new ProviderUnavailableError(`${name}: ${failure.reason}`, failure.retryAfterMs, {
              cause: err,
            });
          case 'transient': {
            counters.failures++;
            if (err instanceof CallTimeoutError) counters.timeouts++;
            outcome(err instanceof CallTimeoutError ? 'timeout' : 'failure');
            const attempts = retry + 1;
            if (breaker.opened)
              throw new ProviderUnavailableError(
                `${name}: ${failure.reason} (circuit breaker opened)`,
                Math.max(failure.retryAfterMs ?? 0, untilTrialMs() ?? 0),
                { cause: err },
              );
            if (retry >= retries)
              throw new ProviderUnavailableError(
                `${name}: ${failure.reason} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
                failure.retryAfterMs,
                { cause: err },
              );
            const delayMs =
              failure.retryAfterMs ??
              backoffDelay(retry + 1, { baseMs: backoffMs, maxMs: maxBackoffMs }, random);
            if (delayMs > maxRetryWaitMs)
              throw new ProviderUnavailableError(
                `${name}: ${failure.reason} (asked to wait ${delayMs} ms)`,
                delayMs,
                { cause: err },
              );
            counters.retries++;
            emit({ type: 'retry', name, retry: retry + 1, delayMs, reason: failure.reason });
            await sleep(delayMs, signal);
          }
        }
      }
    }
  }

  return {
    run,
    get state() {
      return stateOf();
    },
    snapshot() {
      const snap: GuardSnapshot = { name, state: stateOf(), counters: { ...counters } };
      const wait = untilTrialMs();
      if (wait !== undefined) snap.retryAfterMs = wait;
      return snap;
    },
    close() {
      if (closed) return;
      closed = true;
      breaker.shutdown();
    },
  };
}

function isOpenBreaker(err: unknown): boolean {
  return (
    err instanceof Error &&
    CircuitBreaker.isOurError(err) &&
    (err as { code?: string }).code === 'EOPENBREAKER'
  );
}
