import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { bufferToVector, vectorToBuffer, type EmbeddingCache } from './cache.js';

export interface RedisCacheOptions {
  /** redis://[user:pass@]host:port/db */
  url: string;
  /** Entries expire after this long (default 7 days); refreshed on write. */
  ttlSeconds?: number;
  keyPrefix?: string;
  /** A lookup slower than this counts as a miss (the cache must never stall embedding). */
  commandTimeoutMs?: number;
  redisOptions?: RedisOptions;
}

/**
 * Shared cache for the distributed mode: every embedder replica reads what another computed.
 * Values are raw little-endian float32 bytes under `<prefix><model-hash>:<input-hash>`.
 */
export class RedisEmbeddingCache implements EmbeddingCache {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(options: RedisCacheOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
    this.prefix = options.keyPrefix ?? 'trendmill:embedding:';
    this.redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      ...options.redisOptions,
    });
    // Errors surface on the commands (and count as misses); keep ioredis from logging them raw.
    this.redis.on('error', () => {});
  }

  private keyOf(model: string, key: string): string {
    // Model ids may be long or contain ':'; a short digest keeps keys bounded and unambiguous.
    const modelTag = createHash('sha256').update(model).digest('hex').slice(0, 16);
    return `${this.prefix}${modelTag}:${key}`;
  }

  async getMany(model: string, keys: readonly string[]): Promise<Array<Float32Array | undefined>> {
    if (keys.length === 0) return [];
    const values = await this.redis.mgetBuffer(...keys.map((k) => this.keyOf(model, k)));
    return values.map((v) => (v && v.length > 0 ? bufferToVector(v) : undefined));
  }

  async setMany(model: string, entries: ReadonlyArray<{ key: string; vector: Float32Array }>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { key, vector } of entries)
      pipeline.set(this.keyOf(model, key), vectorToBuffer(vector), 'EX', this.ttlSeconds);
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
