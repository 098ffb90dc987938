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
 * Baseline: the provider called directly in batches of 32 on texts it has not seen. Then, per
 * cache, a fresh slice of texts through the service's CachedEmbedder: a cold pass (every text a
 * miss: provider + cache writes) and a warm pass over the same slice (every text a hit), with the
 * in-process cache and with Redis (when reachable). Slices are disjoint, so no pass profits from
 * what the provider memoised on an earlier one (a warm-up slice runs first for the JIT).
 *
 * Args: [texts per slice=3000] [batch=32]. Texts come from agnews-8000, stackoverflow and
 * searchsnippets (TRENDMILL_DATA_DIR).
 */
export async function run(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 3000);
  const batch = Number(args[1] ?? 32);
  // Shuffled with a fixed seed so every slice has the same mix of long and short texts.
  const all = shuffle(loadTexts(Infinity)).slice(0, n * 5);
  const slices = [0, 1, 2, 3, 4].map((i) => all.slice(i * n, (i + 1) * n));
  const [warmup, texts] = [slices[0]!, slices[1]!];
  const info = machine();

  const loadStart = performance.now();
  const provider = await createProvider({ provider: 'local' });
  await provider.embed(['warm up the model']);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  for (let i = 0; i < warmup.length; i += batch) await provider.embed(warmup.slice(i, i + batch));

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

  for (const [c, [kind, make]] of caches.entries()) {
    const texts = slices[2 + c]!;
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
  for (const set of ['agnews-8000', 'stackoverflow', 'searchsnippets']) {
    const lines = readFileSync(join(sharedDataDir(), set, 'items.jsonl'), 'utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      texts.push((JSON.parse(line) as { text: string }).text);
      if (texts.length >= n) return texts;
    }
  }
  return texts;
}

function shuffle<T>(xs: T[]): T[] {
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export type { EmbeddingProvider };
