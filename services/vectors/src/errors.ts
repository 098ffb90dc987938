/**
 * Why a vector-store call failed, as a stable code a caller can branch on (HTTP layers map
 * `invalid_argument` / `invalid_filter` / `dimension_mismatch` to 4xx, the rest to 5xx).
 */
export type VectorStoreErrorCode =
  | 'invalid_argument'
  | 'invalid_filter'
  | 'dimension_mismatch'
  | 'model_name_collision'
  | 'closed'
  | 'locked'
  | 'corrupt_data'
  | 'backend_unavailable'
  | 'backend_error';

export class VectorStoreError extends Error {
  override readonly name = 'VectorStoreError';
  constructor(
    readonly code: VectorStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A vector whose length is not the collection's dimension (or that cannot be normalised). A
 * RangeError, as the port promises, with a code like every other store error.
 */
export class VectorDimensionError extends RangeError {
  override readonly name = 'VectorDimensionError';
  readonly code = 'invalid_vector';
  constructor(message: string) {
    super(message);
  }
}
