/**
 * Why a trend computation refused its input, as a stable code a caller can branch on (an HTTP layer
 * maps them to 4xx: each means the input was wrong).
 */
export type TrendErrorCode = 'invalid_argument' | 'bucket_mismatch' | 'invalid_histogram';

export class TrendError extends Error {
  override readonly name = 'TrendError';
  constructor(
    readonly code: TrendErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Epoch milliseconds of a time given as a Date or a number; TrendError for NaN or ±Infinity. */
export function toEpochMs(time: number | Date, what = 'time'): number {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new TrendError('invalid_argument', `${what} is not a valid time`);
  return ms;
}

/** Validates a positive duration in milliseconds. */
export function positiveMs(value: number, what: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new TrendError(
      'invalid_argument',
      `${what} must be a positive number of milliseconds, got ${value}`,
    );
  }
  return value;
}
