import type { Registry } from 'prom-client';
import { Counter, Histogram, register as defaultRegistry } from 'prom-client';

export interface CollectorMetrics {
  polls: Counter<'source_type' | 'outcome'>;
  pollSeconds: Histogram<'source_type'>;
  itemsCollected: Counter<'source_type'>;
  itemsSeenBefore: Counter<'source_type'>;
  itemsRejected: Counter<'source_type'>;
}

/** The collector's own metrics, on the given registry (each registry gets its own set). */
export function createCollectorMetrics(registry: Registry = defaultRegistry): CollectorMetrics {
  const existing = registry.getSingleMetric('trendmill_collector_polls_total');
  if (existing) return metricsOf(registry);
  const registers = [registry];
  new Counter({
    name: 'trendmill_collector_polls_total',
    help: 'Source polls by source type and outcome (changed, unchanged, not_modified, failed).',
    labelNames: ['source_type', 'outcome'],
    registers,
  });
  new Histogram({
    name: 'trendmill_collector_poll_seconds',
    help: 'Time to fetch and read one source.',
    labelNames: ['source_type'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers,
  });
  new Counter({
    name: 'trendmill_collector_items_collected_total',
    help: 'New items announced as item.collected.',
    labelNames: ['source_type'],
    registers,
  });
  new Counter({
    name: 'trendmill_collector_items_seen_before_total',
    help: 'Pushed or imported items that had been collected already.',
    labelNames: ['source_type'],
    registers,
  });
  new Counter({
    name: 'trendmill_collector_items_rejected_total',
    help: 'Items refused because they do not fit the item.collected contract.',
    labelNames: ['source_type'],
    registers,
  });
  return metricsOf(registry);
}

function metricsOf(registry: Registry): CollectorMetrics {
  const get = <T>(name: string) => registry.getSingleMetric(name) as T;
  return {
    polls: get('trendmill_collector_polls_total'),
    pollSeconds: get('trendmill_collector_poll_seconds'),
    itemsCollected: get('trendmill_collector_items_collected_total'),
    itemsSeenBefore: get('trendmill_collector_items_seen_before_total'),
    itemsRejected: get('trendmill_collector_items_rejected_total'),
  };
}
