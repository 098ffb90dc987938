/**
 * Why HDBSCAN refused its input, as a stable code a caller can branch on. Every code means the input
 * was wrong (an HTTP layer maps them to 4xx), never that the algorithm failed.
 */
export type HdbscanErrorCode = 'invalid_argument' | 'dimension_mismatch' | 'invalid_vector';

export class HdbscanError extends Error {
  override readonly name = 'HdbscanError';
  constructor(
    readonly code: HdbscanErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
