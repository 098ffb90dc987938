export { backoffDelay, type BackoffOptions } from './backoff.js';
export {
  CallTimeoutError,
  RemoteCallError,
  classifyFailure,
  classifyStatus,
  type Failure,
  type FailureKind,
} from './failure.js';
export {
  guarded,
  type AttemptOutcome,
  type BreakerOptions,
  type BreakerState,
  type Guard,
  type GuardCounters,
  type GuardEvent,
  type GuardOptions,
  type GuardSnapshot,
} from './guarded.js';
export { parseRetryAfter } from './retry-after.js';
