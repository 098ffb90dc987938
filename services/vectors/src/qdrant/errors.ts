import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { VectorStoreError } from '../errors.js';

/**
 * Runs one Qdrant call and turns whatever it throws into a VectorStoreError: `backend_unavailable`
 * for what a retry or a circuit breaker should handle (timeouts, refused connections, 429, 5xx),
 * `backend_error` for a request Qdrant rejected.
 */
export async function qdrantCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translate(what, err);
  }
}

export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function translate(what: string, err: unknown): VectorStoreError {
  if (err instanceof VectorStoreError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof QdrantClientTimeoutError) {
    return new VectorStoreError('backend_unavailable', `Qdrant ${what} timed out`, { cause: err });
  }
  const status = httpStatus(err);
  if (status === undefined || status === 429 || status >= 500) {
    const why = status === undefined ? detail : `HTTP ${status}: ${detail}`;
    return new VectorStoreError('backend_unavailable', `Qdrant ${what} failed: ${why}`, { cause: err });
  }
  return new VectorStoreError('backend_error', `Qdrant ${what} was rejected: HTTP ${status}: ${detail}`, {
    cause: err,
  });
}
