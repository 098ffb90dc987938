import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export interface EmbedderMetrics {
  cacheLookups: Counter<'model' | 'result'>;
  cacheHitRatio: Gauge<'model'>;
  cacheErrors: Counter<'operation'>;
  textsEmbedded: Counter<'model'>;
  embedSeconds: Histogram<'model'>;
  batchSize: Histogram<string>;
  items: Counter<'outcome'>;
  reembedItems: Counter<'model'>;
  breakerState: Gauge<'provider'>;
  providerAttempts: Counter<'provider' | 'outcome'>;
  providerRetries: Counter<'provider'>;
}

/** The embedder's own metrics on the given registry (each registry gets one set). */
export function createEmbedderMetrics(registry: Registry = defaultRegistry): EmbedderMetrics {
  if (!registry.getSingleMetric('trendmill_embedder_cache_lookups_total')) {
    const registers = [registry];
    new Counter({
      name: 'trendmill_embedder_cache_lookups_total',
      help: 'Embedding cache lookups by model and result (hit, miss).',
      labelNames: ['model', 'result'],
      registers,
    });
    new Gauge({
      name: 'trendmill_embedder_cache_hit_ratio',
      help: 'Share of embedding cache lookups that hit, since start, per model.',
      labelNames: ['model'],
      registers,
    });
    new Counter({
      name: 'trendmill_embedder_cache_errors_total',
      help: 'Cache operations that failed and were treated as misses / skipped.',
      labelNames: ['operation'],
      registers,
    });
    new Counter({
      name: 'trendmill_embedder_texts_embedded_total',
      help: 'Texts sent to the embedding provider (cache misses).',
      labelNames: ['model'],
      registers,
    });
    new Histogram({
      name: 'trendmill_embedder_embed_seconds',
      help: 'Time of one provider call.',
      labelNames: ['model'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Histogram({
      name: 'trendmill_embedder_batch_size',
      help: 'Items per embedding batch.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    new Counter({
      name: 'trendmill_embedder_items_total',
      help: 'item.normalized events handled, by outcome (embedded, deferred, rejected).',
      labelNames: ['outcome'],
      registers,
    });
    new Counter({
      name: 'trendmill_embedder_reembed_items_total',
      help: 'Stored items re-embedded into a model by reembed jobs.',
      labelNames: ['model'],
      registers,
    });
    new Gauge({
      name: 'trendmill_embedder_provider_breaker_state',
      help: 'Circuit breaker of a remote provider: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider'],
      registers,
    });
    new Counter({
      name: 'trendmill_embedder_provider_attempts_total',
      help: 'Calls that reached a remote provider, by outcome.',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    new Counter({
      name: 'trendmill_embedder_provider_retries_total',
      help: 'Retries of remote provider calls after a transient failure.',
      labelNames: ['provider'],
      registers,
    });
  }
  const get = <T>(name: string) => registry.getSingleMetric(name) as T;
  return {
    cacheLookups: get('trendmill_embedder_cache_lookups_total'),
    cacheHitRatio: get('trendmill_embedder_cache_hit_ratio'),
    cacheErrors: get('trendmill_embedder_cache_errors_total'),
    textsEmbedded: get('trendmill_embedder_texts_embedded_total'),
    embedSeconds: get('trendmill_embedder_embed_seconds'),
    batchSize: get('trendmill_embedder_batch_size'),
    items: get('trendmill_embedder_items_total'),
    reembedItems: get('trendmill_embedder_reembed_items_total'),
    breakerState: get('trendmill_embedder_provider_breaker_state'),
    providerAttempts: get('trendmill_embedder_provider_attempts_total'),
    providerRetries: get('trendmill_embedder_provider_retries_total'),
  };
}

const BREAKER_STATE_VALUE: Record<string, number> = { closed: 0, halfOpen: 1, open: 2 };

/** Feeds a remote provider's breaker events into the metrics. */
export function observeGuard(
  metrics: EmbedderMetrics,
): (event: { type: string; name: string; state?: string; outcome?: string }) => void {
  return (event) => {
    if (event.type === 'state' && event.state !== undefined)
      metrics.breakerState.set({ provider: event.name }, BREAKER_STATE_VALUE[event.state] ?? -1);
    else if (event.type === 'attempt' && event.outcome !== undefined)
      metrics.providerAttempts.inc({ provider: event.name, outcome: event.outcome });
    else if (event.type === 'retry') metrics.providerRetries.inc({ provider: event.name });
  };
}
