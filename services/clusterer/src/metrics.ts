import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export interface ClustererMetrics {
  items: Counter<'model' | 'outcome'>;
  clusters: Counter<'model' | 'event'>;
  discoverySeconds: Histogram<'model'>;
  maintenanceSeconds: Histogram<'model'>;
  poolSize: Gauge<'model'>;
  liveClusters: Gauge<'model'>;
  active: Gauge<string>;
}

/** The clusterer's own metrics on the given registry (each registry gets one set). */
export function createClustererMetrics(registry: Registry = defaultRegistry): ClustererMetrics {
  if (!registry.getSingleMetric('trendmill_clusterer_items_total')) {
    const registers = [registry];
    new Counter({
      name: 'trendmill_clusterer_items_total',
      help: 'Items placed by the clusterer, by model and outcome (assigned, pooled, discovered).',
      labelNames: ['model', 'outcome'],
      registers,
    });
    new Counter({
      name: 'trendmill_clusterer_cluster_events_total',
      help: 'Cluster lifecycle changes announced, by model and event (created, updated, merged, retired).',
      labelNames: ['model', 'event'],
      registers,
    });
    new Histogram({
      name: 'trendmill_clusterer_discovery_seconds',
      help: 'Duration of one discovery pass (density clustering of the pool and window, plus its commit).',
      labelNames: ['model'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    new Histogram({
      name: 'trendmill_clusterer_maintenance_seconds',
      help: 'Duration of one maintenance pass (merge, retire, trend refresh, plus its commit).',
      labelNames: ['model'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'trendmill_clusterer_pool_size',
      help: 'Items waiting in the pool for discovery, per model.',
      labelNames: ['model'],
      registers,
    });
    new Gauge({
      name: 'trendmill_clusterer_live_clusters',
      help: 'Live (emerging, active or fading) clusters, per model.',
      labelNames: ['model'],
      registers,
    });
    new Gauge({
      name: 'trendmill_clusterer_active',
      help: '1 while this replica holds the leader lock and consumes, 0 on standby.',
      registers,
    });
  }
  const get = <T>(name: string) => registry.getSingleMetric(name) as T;
  return {
    items: get('trendmill_clusterer_items_total'),
    clusters: get('trendmill_clusterer_cluster_events_total'),
    discoverySeconds: get('trendmill_clusterer_discovery_seconds'),
    maintenanceSeconds: get('trendmill_clusterer_maintenance_seconds'),
    poolSize: get('trendmill_clusterer_pool_size'),
    liveClusters: get('trendmill_clusterer_live_clusters'),
    active: get('trendmill_clusterer_active'),
  };
}

/** Counts what a batch of engine changes did. */
export function countChanges(
  metrics: ClustererMetrics,
  model: string,
  changes: ReadonlyArray<{ kind: string; method?: string }>,
): void {
  for (const change of changes) {
    if (change.kind === 'item-clustered') metrics.items.inc({ model, outcome: change.method ?? 'unknown' });
    else metrics.clusters.inc({ model, event: change.kind.replace('cluster-', '') });
  }
}
