/**
 * Why a description computation refused its input, as a stable code a caller can branch on (an HTTP
 * layer maps every one of them to a 4xx: they all mean the input was wrong, never that we failed).
 */
export type DescribeErrorCode =
  'invalid_argument' | 'dimension_mismatch' | 'empty_cluster' | 'invalid_term_counts' | 'unknown_cluster';

export class DescribeError extends Error {
  override readonly name = 'DescribeError';
  constructor(
    readonly code: DescribeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
