/**
 * Embedding cache keyed by (model, input hash). A vector is only ever looked up under the model
 * that produced it, so two models' vectors cannot mix. The cache is an optimisation: a store that
 * fails answers "miss" and the caller embeds again; it never fails the embedding.
 */
export interface EmbeddingCache {
  readonly kind: 'memory' | 'redis';
  /** One entry per key, in order; undefined for a miss. */
  getMany(model: string, keys: readonly string[]): Promise<Array<Float32Array | undefined>>;
  setMany(model: string, entries: ReadonlyArray<{ key: string; vector: Float32Array }>): Promise<void>;
  close(): Promise<void>;
}

/** Counts hits and misses per model; the service turns them into metrics. */
export interface CacheObserver {
  onLookup(model: string, hits: number, misses: number): void;
  onError?(operation: 'get' | 'set', err: unknown): void;
}

/** Float32 vector ↔ bytes (little-endian, as item.embedded carries it). */
export function vectorToBuffer(vector: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i]!, i * 4);
  return out;
}

export function bufferToVector(buffer: Buffer): Float32Array {
  if (buffer.length % 4 !== 0)
    throw new RangeError(`cached vector has ${buffer.length} bytes, not a multiple of 4`);
  const out = new Float32Array(buffer.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buffer.readFloatLE(i * 4);
  return out;
}
