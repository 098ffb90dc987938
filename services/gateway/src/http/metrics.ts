import { Counter, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export interface GatewayMetrics {
  requests: Counter<'route' | 'method' | 'status'>;
  duration: Histogram<'route' | 'method'>;
  cacheLookups: Counter<'result'>;
  cacheInvalidations: Counter;
  rateLimited: Counter<'reason'>;
}

const created = new WeakMap<Registry, GatewayMetrics>();

/** The gateway's metrics, once per registry (several apps in one test process share none). */
export function gatewayMetrics(registry: Registry = defaultRegistry): GatewayMetrics {
  const existing = created.get(registry);
  if (existing) return existing;
  const metrics: GatewayMetrics = {
    requests: new Counter({
      name: 'trendmill_gateway_requests_total',
      help: 'API requests by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'trendmill_gateway_request_seconds',
      help: 'API request duration by route pattern',
      labelNames: ['route', 'method'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'trendmill_gateway_cache_lookups_total',
      help: 'Response cache lookups by result (hit, miss, error)',
      labelNames: ['result'],
      registers: [registry],
    }),
    cacheInvalidations: new Counter({
      name: 'trendmill_gateway_cache_invalidations_total',
      help: 'Response cache invalidations caused by cluster events',
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'trendmill_gateway_rate_limited_total',
      help: 'Requests refused with 429 (per-key limit or failed-authentication limit)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
  created.set(registry, metrics);
  return metrics;
}
