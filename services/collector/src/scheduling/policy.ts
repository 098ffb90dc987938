/**
 * When to poll a source next. Pure: the scheduler feeds it the outcome of a poll and the clock.
 *
 * - The configured interval is a starting point; the effective interval follows how often the
 *   source really changes: it moves halfway towards half the observed gap between two changes
 *   (polling about twice per change), and grows by a quarter after each poll that found nothing
 *   new once the source has been quiet for longer than two intervals.
 * - It stays within [max(minIntervalSeconds, interval / 4), min(maxIntervalSeconds, interval * 8)].
 * - Failures back off exponentially from the effective interval (x2 per consecutive failure, up to
 *   maxBackoffSeconds); a server's Retry-After wins when it asks for longer, up to
 *   maxIntervalSeconds (a huge or hostile value must not park a source for years, or past the
 *   largest Date).
 * - Every delay is spread by ±jitter so sources added together do not poll together.
 */
export interface SchedulePolicy {
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
  maxBackoffSeconds: number;
}

export const DEFAULT_SCHEDULE_POLICY: SchedulePolicy = {
  minIntervalSeconds: 60,
  maxIntervalSeconds: 24 * 3600,
  maxBackoffSeconds: 6 * 3600,
};

export interface ScheduleState {
  intervalSeconds: number;
  effectiveIntervalSeconds: number;
  jitter: number;
  lastChangeAt: Date | null;
  consecutiveFailures: number;
}

export type PollOutcome =
  | { kind: 'changed'; at: Date }
  | { kind: 'unchanged'; at: Date }
  | { kind: 'failed'; at: Date; retryAfterSeconds?: number };

export interface NextSchedule {
  effectiveIntervalSeconds: number;
  consecutiveFailures: number;
  lastChangeAt: Date | null;
  nextPollAt: Date;
  /** The delay before jitter, in seconds. */
  delaySeconds: number;
}

export function intervalBounds(intervalSeconds: number, policy: SchedulePolicy = DEFAULT_SCHEDULE_POLICY) {
  const min = Math.max(policy.minIntervalSeconds, Math.floor(intervalSeconds / 4));
  const max = Math.max(min, Math.min(policy.maxIntervalSeconds, intervalSeconds * 8));
  return { min, max };
}

export function nextSchedule(
  state: ScheduleState,
  outcome: PollOutcome,
  random: () => number = Math.random,
  policy: SchedulePolicy = DEFAULT_SCHEDULE_POLICY,
): NextSchedule {
  const { min, max } = intervalBounds(state.intervalSeconds, policy);
  const clamp = (s: number) => Math.round(Math.min(max, Math.max(min, s)));
  let effective = clamp(state.effectiveIntervalSeconds);
  let lastChangeAt = state.lastChangeAt;
  let failures = 0;
  let delay: number;
  let retryAfter: number | undefined;

  if (outcome.kind === 'changed') {
    if (lastChangeAt) {
      const gapSeconds = (outcome.at.getTime() - lastChangeAt.getTime()) / 1000;
      if (gapSeconds > 0) effective = clamp((effective + gapSeconds / 2) / 2);
    }
    lastChangeAt = outcome.at;
    delay = effective;
  } else if (outcome.kind === 'unchanged') {
    const quietSeconds = lastChangeAt ? (outcome.at.getTime() - lastChangeAt.getTime()) / 1000 : Infinity;
    if (quietSeconds > 2 * effective) effective = clamp(effective * 1.25);
    delay = effective;
  } else {
    failures = state.consecutiveFailures + 1;
    const backoff = Math.min(policy.maxBackoffSeconds, effective * 2 ** (failures - 1));
    retryAfter = boundedRetryAfter(outcome.retryAfterSeconds, policy);
    delay = Math.max(backoff, retryAfter ?? 0);
  }

  const jitter = Math.min(0.5, Math.max(0, state.jitter));
  let spread = delay * (1 + jitter * (2 * random() - 1));
  if (retryAfter !== undefined) spread = Math.max(spread, retryAfter);
  return {
    effectiveIntervalSeconds: effective,
    consecutiveFailures: failures,
    lastChangeAt,
    nextPollAt: new Date(outcome.at.getTime() + Math.round(spread * 1000)),
    delaySeconds: delay,
  };
}

/** Retry-After in [0, maxIntervalSeconds]; undefined when absent or not a number. */
export function boundedRetryAfter(seconds: number | undefined, policy: SchedulePolicy): number | undefined {
  if (seconds === undefined || Number.isNaN(seconds)) return undefined;
  return Math.min(policy.maxIntervalSeconds, Math.max(0, seconds));
}
