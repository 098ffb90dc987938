/**
 * The one port every embedding provider implements. A provider turns texts into unit-length
 * float32 vectors of one fixed dimension in one vector space, named by `model`. Two providers (or
 * two versions of one) with different output must have different `model` ids: vectors of
 * different models are never mixed in one collection.
 */
export interface EmbeddingProvider {
  /** Provider kind: `local`, `hf-inference`, `transformers`. */
  readonly kind: string;
  /** The vector space: changes whenever the output for the same input changes (e.g. `trendmill-local-v1`). */
  readonly model: string;
  /** Length of every vector. */
  readonly dim: number;
  /** Most texts one `embed` call accepts; callers split larger batches. */
  readonly maxBatch: number;
  /**
   * One L2-normalised vector per text, in input order. Throws ProviderUnavailableError when a
   * remote provider cannot answer now (the caller waits and retries; it never substitutes another
   * model), and InvalidEmbeddingInputError for input the provider will never accept.
   */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  /**
   * Loads now what the first `embed` would load (model weights, word vectors), e.g. while the
   * process starts rather than once a backlog is waiting. Optional; failures surface again there.
   */
  warmUp?(): Promise<void>;
  /** Releases sockets, threads, model memory. */
  close(): Promise<void>;
}

/** The provider cannot answer now (down, timing out, breaker open, rate-limited): try again later. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  constructor(
    message: string,
    /** How long to wait before asking again, when known (breaker reset, Retry-After). */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Input the provider will never accept (e.g. rejected by the server with 4xx): do not retry. */
export class InvalidEmbeddingInputError extends Error {
  override readonly name = 'InvalidEmbeddingInputError';
}

/** Scales a vector to unit length in place (a zero vector stays zero) and returns it. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
