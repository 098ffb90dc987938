import { LRUCache } from 'lru-cache';
import type { EmbeddingCache } from './cache.js';

/**
 * In-process cache for the embedded default: least-recently-used entries go first once
 * `maxEntries` is reached. Keys join model and hash with a newline (which neither contains).
 */
export class MemoryEmbeddingCache implements EmbeddingCache {
  readonly kind = 'memory';
  private readonly lru: LRUCache<string, Float32Array>;

  constructor(options: { maxEntries?: number } = {}) {
    this.lru = new LRUCache({ max: options.maxEntries ?? 50_000 });
  }

  async getMany(model: string, keys: readonly string[]): Promise<Array<Float32Array | undefined>> {
    return keys.map((key) => this.lru.get(`${model}\n${key}`));
  }

  async setMany(model: string, entries: ReadonlyArray<{ key: string; vector: Float32Array }>): Promise<void> {
    for (const { key, vector } of entries) this.lru.set(`${model}\n${key}`, vector);
  }

  get size(): number {
    return this.lru.size;
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}
