import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@trendmill/platform';
import type { EmbeddingCache } from '../services/embedder/src/cache/cache.js';
import { MemoryEmbeddingCache } from '../services/embedder/src/cache/memory-cache.js';
import { RedisEmbeddingCache } from '../services/embedder/src/cache/redis-cache.js';
import { createProvider } from '../services/embedder/src/providers/factory.js';
import type { EmbeddingProvider } from '../services/embedder/src/providers/port.js';
import { CachedEmbedder } from '../services/embedder/src/service/cached-embedder.js';
import { sharedDataDir } from './data-dir.js';
import { machine } from './machine.js';

/**
 * Throughput of the `local` provider in one process, and what the embedding cache does to it.
 * Baseline: the provider called directly in batches of 32. Then the same texts through the
 * service's CachedEmbedder: a cold pass (every text a miss: provider + cache writes) and a warm
 * pass (every text a hit), with the in-process cache and with Redis (when reachable).
 *
 * Args: [texts=6000] [batch=32]. Texts come from agnews-8000 and stackoverflow (TRENDMILL_DATA_DIR).
 */
export async function run(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 6000);
  const batch = Number(args[1] ?? 32);
  const texts = loadTexts(n);
  const info = machine();

  const loadStart = performance.now();
  const provider = await createProvider({ provider: 'local' });
  await provider.embed(['warm up the model']);
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const direct = await timed(async () => {
    for (let i = 0; i < texts.length; i += batch) await provider.embed(texts.slice(i, i + batch));
  });
  const providerTps = texts.length / direct;
  console.log(
    JSON.stringify({
      bench: 'embed',
      stage: 'provider',
      model: provider.model,
      dim: provider.dim,
      texts: texts.length,
      batch,
      loadSeconds: round(loadSeconds),
      textsPerSecond: Math.round(providerTps),
      machine: info,
    }),
  );

  const results: Record<string, unknown> = {};
  const caches: Array<[string, () => EmbeddingCache]> = [['memory', () => new MemoryEmbeddingCache()]];
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisProbe = new RedisEmbeddingCache({ url: redisUrl, keyPrefix: `bench:${Date.now()}:probe:` });
  const redisUp = await redisProbe.ping();
  await redisProbe.close();
  if (redisUp)
    caches.push([
      'redis',
      () => new RedisEmbeddingCache({ url: redisUrl, keyPrefix: `bench:${Date.now()}:`, ttlSeconds: 600 }),
    ]);
  else console.log(JSON.stringify({ bench: 'embed', stage: 'redis', skipped: `no Redis at ${redisUrl}` }));

  for (const [kind, make] of caches) {
    const cache = make();
    const embedder = new CachedEmbedder(cache, createLogger('bench', 'error'), undefined);
    const pass = async () => {
      let hits = 0;
      let misses = 0;
      const seconds = await timed(async () => {
        for (let i = 0; i < texts.length; i += batch) {
          const r = await embedder.embed(provider, texts.slice(i, i + batch));
          hits += r.hits;
          misses += r.misses;
        }
      });
      return { seconds, hits, misses, textsPerSecond: Math.round(texts.length / seconds) };
    };
    const cold = await pass();
    const warm = await pass();
    await cache.close();
    const line = {
      bench: 'embed',
      stage: `cache-${kind}`,
      cold: { ...cold, hitRate: round(cold.hits / texts.length) },
      warm: { ...warm, hitRate: round(warm.hits / texts.length) },
      coldVsProvider: round(cold.textsPerSecond / providerTps),
      warmVsProvider: round(warm.textsPerSecond / providerTps),
    };
    results[kind] = line;
    console.log(JSON.stringify(line));
  }
  await provider.close();
  console.log(
    JSON.stringify({
      bench: 'embed',
      summary: true,
      model: provider.model,
      providerTextsPerSecond: Math.round(providerTps),
      memoryCacheWarmSpeedup: (results.memory as { warmVsProvider: number }).warmVsProvider,
      ...(results.redis
        ? { redisCacheWarmSpeedup: (results.redis as { warmVsProvider: number }).warmVsProvider }
        : {}),
    }),
  );
}

function loadTexts(n: number): string[] {
  const texts: string[] = [];
  for (const set of ['agnews-8000', 'stackoverflow']) {
    const lines = readFileSync(join(sharedDataDir(), set, 'items.jsonl'), 'utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      texts.push((JSON.parse(line) as { text: string }).text);
      if (texts.length >= n) return texts;
    }
  }
  return texts;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export type { EmbeddingProvider };
