import { Counter, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export interface QueryMetrics {
  eventsApplied: Counter<'type'>;
  versionGaps: Counter<string>;
  requestSeconds: Histogram<'operation' | 'status'>;
  searches: Counter<'mode' | 'outcome'>;
}

/** The query service's own metrics on the given registry (each registry gets one set). */
export function createQueryMetrics(registry: Registry = defaultRegistry): QueryMetrics {
  const registers = [registry];
  const get = <T>(name: string, make: () => T): T =>
    (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    eventsApplied: get(
      'trendmill_query_events_applied_total',
      () =>
        new Counter({
          name: 'trendmill_query_events_applied_total',
          help: 'Events the projection applied to the read model (redeliveries not counted), by type.',
          labelNames: ['type'],
          registers,
        }),
    ),
    versionGaps: get(
      'trendmill_query_cluster_version_gaps_total',
      () =>
        new Counter({
          name: 'trendmill_query_cluster_version_gaps_total',
          help: 'Cluster events applied past a missing version.',
          registers,
        }),
    ),
    requestSeconds: get(
      'trendmill_query_request_seconds',
      () =>
        new Histogram({
          name: 'trendmill_query_request_seconds',
          help: 'Query API operations by operation and HTTP status.',
          labelNames: ['operation', 'status'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers,
        }),
    ),
    searches: get(
      'trendmill_query_searches_total',
      () =>
        new Counter({
          name: 'trendmill_query_searches_total',
          help: 'Searches by mode and outcome (ok, degraded, error).',
          labelNames: ['mode', 'outcome'],
          registers,
        }),
    ),
  };
}
