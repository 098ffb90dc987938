import { createHash } from 'node:crypto';
import type { Logger } from '@trendmill/platform';
import type { EmbeddingCache } from '../cache/cache.js';
import type { EmbeddingProvider } from '../providers/port.js';
import type { EmbedderMetrics } from './metrics.js';

/** sha256 hex of the exact text a provider is given: the cache key beside the model id. */
export function inputHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface EmbedResult {
  vectors: Float32Array[];
  hashes: string[];
  hits: number;
  misses: number;
}

/**
 * Embeds through the cache: looks every text up under (provider.model, sha256(text)), embeds
 * only the misses (each distinct text once, in chunks of provider.maxBatch), checks what the
 * provider returned, and stores it. Cache failures are logged and counted, never fatal.
 */
export class CachedEmbedder {
  private hits = new Map<string, { hits: number; lookups: number }>();

  constructor(
    private readonly cache: EmbeddingCache,
    private readonly logger: Logger,
    private readonly metrics: EmbedderMetrics | undefined,
  ) {}

  async embed(
    provider: EmbeddingProvider,
    texts: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<EmbedResult> {
    const model = provider.model;
    const hashes = texts.map(inputHash);
    let cached: Array<Float32Array | undefined>;
    try {
      cached = await this.cache.getMany(model, hashes);
    } catch (err) {
      this.metrics?.cacheErrors.inc({ operation: 'get' });
      this.logger.warn('embedding cache lookup failed; embedding everything', { error: String(err) });
      cached = texts.map(() => undefined);
    }
    const vectors: Array<Float32Array | undefined> = cached.map((v) =>
      v && v.length === provider.dim ? v : undefined,
    );
    const missing = new Map<string, number[]>();
    vectors.forEach((v, i) => {
      if (v) return;
      const at = missing.get(hashes[i]!);
      if (at) at.push(i);
      else missing.set(hashes[i]!, [i]);
    });
    const hits = texts.length - [...missing.values()].reduce((n, at) => n + at.length, 0);
    this.observe(model, hits, texts.length - hits);

    const todo = [...missing.entries()];
    const fresh: Array<{ key: string; vector: Float32Array }> = [];
    for (let start = 0; start < todo.length; start += provider.maxBatch) {
      const chunk = todo.slice(start, start + provider.maxBatch);
      const stop = this.metrics?.embedSeconds.startTimer({ model });
      const out = await provider.embed(
        chunk.map(([, at]) => texts[at[0]!]!),
        options,
      );
      stop?.();
      if (out.length !== chunk.length)
        throw new Error(`provider ${model} returned ${out.length} vectors for ${chunk.length} texts`);
      this.metrics?.textsEmbedded.inc({ model }, chunk.length);
      chunk.forEach(([key, at], j) => {
        const vector = out[j]!;
        checkVector(vector, provider);
        for (const i of at) vectors[i] = vector;
        fresh.push({ key, vector });
      });
    }
    if (fresh.length) {
      try {
        await this.cache.setMany(model, fresh);
      } catch (err) {
        this.metrics?.cacheErrors.inc({ operation: 'set' });
        this.logger.warn('embedding cache write failed', { error: String(err) });
      }
    }
    return { vectors: vectors as Float32Array[], hashes, hits, misses: texts.length - hits };
  }

  /** Hit ratio since start per model (what the gauge shows). */
  hitRatio(model: string): number | undefined {
    const s = this.hits.get(model);
    return s && s.lookups > 0 ? s.hits / s.lookups : undefined;
  }

  private observe(model: string, hits: number, misses: number): void {
    const s = this.hits.get(model) ?? { hits: 0, lookups: 0 };
    s.hits += hits;
    s.lookups += hits + misses;
    this.hits.set(model, s);
    if (!this.metrics) return;
    if (hits) this.metrics.cacheLookups.inc({ model, result: 'hit' }, hits);
    if (misses) this.metrics.cacheLookups.inc({ model, result: 'miss' }, misses);
    this.metrics.cacheHitRatio.set({ model }, s.hits / s.lookups);
  }
}

/** A vector that is the wrong length or not finite would poison the space: refuse it. */
function checkVector(vector: Float32Array, provider: EmbeddingProvider): void {
  if (vector.length !== provider.dim)
    throw new Error(
      `provider ${provider.model} returned a vector of ${vector.length} values, expected ${provider.dim}`,
    );
  for (let i = 0; i < vector.length; i++)
    if (!Number.isFinite(vector[i]!))
      throw new Error(`provider ${provider.model} returned a non-finite value`);
}
