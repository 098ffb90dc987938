/**
 * What each benchmark measures, the acceptance target it answers to (from the issues), and the
 * arguments `npm run benchmarks` runs it with. A bench in bench/run.ts that is missing here still
 * runs (with no arguments) and still gets a section, marked as undescribed.
 */
export interface CatalogEntry {
  name: string;
  issue: number;
  measures: string;
  /** The acceptance target, or what the figure is for when the issue sets none. */
  target: string;
  /** The standard arguments (empty: the bench's own defaults). */
  args: string[];
  /** Needs the local PostgreSQL / Redis / RabbitMQ, or the shared data folder. */
  needs?: string;
  /** Takes minutes, not seconds, on a 2-core machine. */
  long?: boolean;
}

export const CATALOG: CatalogEntry[] = [
  {
    name: 'broker',
    issue: 2,
    measures:
      'Raw amqplib publish→consume messages/s beside the RabbitMQ adapter’s, same run, same message size, confirms, quorum queue and acks.',
    target: 'adapter / raw ≥ 0.7',
    args: [],
    needs: 'RabbitMQ',
  },
  {
    name: 'dedup',
    issue: 3,
    measures:
      'Near-duplicate detection on a labelled set built from real texts (edited and syndicated variants, look-alikes), thresholds tuned on half, reported on the other half.',
    target: 'precision ≥ 0.95 and recall ≥ 0.90',
    args: [],
    needs: 'shared data',
  },
  {
    name: 'normalize',
    issue: 3,
    measures:
      'Normalized items/s for one normalizer thread (HTML to text, canonical URL, language, near-duplicate check).',
    target: 'reported (no threshold)',
    args: [],
    needs: 'shared data',
  },
  {
    name: 'normalize-service',
    issue: 8,
    measures:
      'Normalizer service items/s on PostgreSQL (batches, dedup lookups, fingerprint writes, outbox, relay) with 20k decided items already stored and no planner statistics, beside the same items on an empty table in the same run.',
    target:
      'several hundred items/s at 20k stored (bench faults pushes ≥ 20k items per scenario); ratio to the empty table near 1',
    args: [],
    needs: 'PostgreSQL, shared data',
  },
  {
    name: 'embed',
    issue: 4,
    measures:
      'Texts/s of the local embedding provider in one process, and cold/warm passes through the in-process and Redis caches.',
    target: 'reported (no threshold)',
    args: [],
    needs: 'shared data; Redis for the Redis cache rows',
  },
  {
    name: 'embed-quality',
    issue: 4,
    measures:
      'k-means NMI/ACC/ARI of the local provider’s embeddings on every labelled set, beside the TF-IDF+LSA+KMeans baseline.',
    target: 'local NMI ≥ the LSA baseline NMI on every set',
    args: [],
    needs: 'shared data',
    long: true,
  },
  {
    name: 'vectors',
    issue: 4,
    measures:
      'The embedded vector store at 100k × 384: build time, recall@10 against exact search, p50/p95 query latency, reopen time.',
    target: 'recall@10 ≥ 0.95',
    args: [],
    long: true,
  },
  {
    name: 'cluster-quality',
    issue: 5,
    measures:
      '`eval cluster` (not told k) beside `eval embed` (k-means told k) on every labelled set, plus id stability over one more discovery pass.',
    target: 'clusterer NMI ≥ 0.9 × k-means NMI, stability ≥ 0.95',
    args: [],
    needs: 'shared data',
    long: true,
  },
  {
    name: 'hdbscan',
    issue: 5,
    measures:
      'HDBSCAN wall time and peak memory at 5k, 10k, 20k and 40k points, and the fitted growth exponent.',
    target: '20k points in < 30 s',
    args: [],
    long: true,
  },
  {
    name: 'principal-components',
    issue: 5,
    measures:
      "Discovery's principal components (top 15 of 512 dimensions) at 5k and 20k points, beside the column-by-column computation they replaced, and whether the two agree to the bit.",
    target: 'reported as a ratio against the column-by-column reference; identical: true',
    args: [],
  },
  {
    name: 'assign',
    issue: 5,
    measures:
      'Streaming assignments/s with 1k and 10k live clusters, beside a brute-force scan, and recall@1 of the index.',
    target: 'reported (no threshold)',
    args: [],
  },
  {
    name: 'cluster-service',
    issue: 5,
    measures: 'One clusterer service on PostgreSQL: pooled items/s, one discovery pass, assigned items/s.',
    target: 'reported (no threshold)',
    args: [],
    needs: 'PostgreSQL',
  },
  {
    name: 'query-store',
    issue: 6,
    measures:
      'The read model called in process at 100k items / 1k clusters: p50/p95/p99 of list, detail, full-text, semantic and hybrid search.',
    target: 'the direct-path side of `api` (p95 ≤ 20 ms list/detail, ≤ 50 ms search)',
    args: [],
    needs: 'PostgreSQL',
    long: true,
  },
  {
    name: 'query-projection',
    issue: 6,
    measures:
      'Projection events/s of one query service on PostgreSQL (item.embedded, item.clustered, cluster.created/updated): a transaction per batch beside a transaction per message, same run.',
    target: 'reported (no threshold)',
    args: [],
    needs: 'PostgreSQL',
  },
  {
    name: 'api',
    issue: 6,
    measures:
      'Through the gateway at 100k items / 1k clusters: p50/p95/p99 of cluster list, detail, full-text and semantic search, beside the same queries against the stores in the same run.',
    target: 'p95 ≤ 20 ms for list/detail, ≤ 50 ms for search',
    args: [],
    needs: 'PostgreSQL, Redis',
    long: true,
  },
  {
    name: 'gateway-subscriptions',
    issue: 6,
    measures:
      'Event-log appends/s, SSE fan-out events/s with commit-to-receipt p50/p99, webhook deliveries/s.',
    target: 'reported (no threshold)',
    args: [],
    needs: 'PostgreSQL',
  },
  {
    name: 'deploy-startup',
    issue: 7,
    measures:
      'Each service’s container command as a plain process: ms to /healthz, to /readyz, and from SIGTERM to exit.',
    target: 'within the startupProbe budget of the manifests',
    args: [],
    needs: 'PostgreSQL, Redis, RabbitMQ',
  },
  {
    name: 'pipeline',
    issue: 7,
    measures:
      'End-to-end items/s and publish-to-queryable p50/p95, embedded default and multi-process RabbitMQ, beside raw broker throughput ÷ hops.',
    target: 'reported beside the raw-broker ceiling (issue #7 acceptance 4)',
    args: [],
    needs: 'PostgreSQL, Redis, RabbitMQ',
    long: true,
  },
  {
    name: 'faults',
    issue: 8,
    measures:
      'Each fault scenario (kill -9 of every service, broker / database restart, Redis down, provider failing) while a corpus streams: items in, queryable, lost, duplicated, dead-lettered, recovery seconds.',
    target: 'lost = 0 and duplicated = 0 in every scenario',
    args: [],
    needs: 'PostgreSQL, Redis, RabbitMQ',
    long: true,
  },
  {
    name: 'load',
    issue: 8,
    measures:
      'Sustained ingest at a fixed rate under concurrent API reads: throughput, API p95/p99, queue depths, memory per process; 100 concurrent ingest clients.',
    target: 'no errors with 100 concurrent clients; nothing grows without bound',
    args: [],
    needs: 'PostgreSQL, Redis, RabbitMQ',
    long: true,
  },
  {
    name: 'pglite-thread',
    issue: 8,
    measures:
      'The embedded default with PGlite in a thread of its own (the default) against PGlite in the main thread, ' +
      'same process, alternating: items/s for N items pushed through the gateway, and the p50/p95/max of cheap ' +
      'GETs (/healthz, /api/v1/clusters) sent one at a time meanwhile.',
    target: 'reported as ratios thread / main thread (API latency under ingest load; throughput)',
    args: ['2000', '2'],
  },
  {
    name: 'scale',
    issue: 8,
    measures:
      'End-to-end items/s and memory of the embedded default at 10k, 100k (and 1M) items, with the growth stated. ' +
      'Items are the 62,812 shared-data texts, then texts interleaving the words of two of them; runs recorded ' +
      'before 2026-12-07 05:40 UTC repeated the texts past 62,812 instead, and the normalizer stopped those ' +
      'repeats as near-duplicates. `duplicates` counts the items flagged as such.',
    target: 'growth stated',
    args: [],
    long: true,
  },
];
