import { Topology } from '../test/support/topology.js';
import { machine } from './machine.js';
import { ApiClient } from './support/api-client.js';
import { itemSource } from './support/corpus.js';
import { GROWTH_RULE, growthVerdict, percentile, round } from './support/numbers.js';
import { rssMiB } from './support/process-memory.js';

/**
 * Sustained load on the multi-process RabbitMQ topology: items pushed through the gateway at a
 * fixed rate (batches every 200 ms) while K readers list clusters, open a cluster and search, all
 * at once. Every SAMPLE seconds: ingest achieved, queue depth per service, RSS per process. Ends
 * with one JSON line: throughput, API p50/p95/p99 per query kind, queue depths, RSS, and a
 * grew_without_bound verdict per series (the rule is printed beside it).
 *
 * Args: [RATE items/s, default 50] [SECONDS, default 300] [READERS, default 4] [SAMPLE s, default 5]
 */
type Kind = 'list' | 'detail' | 'search';
const WORDS = ['java', 'python', 'database', 'market', 'election', 'protein', 'music', 'windows', 'game'];

export async function run(args: string[]): Promise<void> {
  const [rate = 50, seconds = 300, readers = 4, sampleSeconds = 5] = args.map(Number);
  const topology = await Topology.start({
    env: { gateway: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000', GATEWAY_CACHE_TTL_SECONDS: '5' } },
  });
  const api = new ApiClient(topology.gateway, topology.apiKey);
  const next = itemSource(`load-${Date.now().toString(36)}`);
  const latencies: Record<Kind, number[]> = { list: [], detail: [], search: [] };
  const errors: Record<string, number> = {};
  const samples: Array<{
    t: number;
    sent: number;
    queryable: number;
    queues: Record<string, number>;
    rss: Record<string, number>;
  }> = [];
  let sent = 0;
  let stopping = false;
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const fail = (what: string) => (errors[what] = (errors[what] ?? 0) + 1);
  try {
    const baseline = (await api.get<{ items: number; duplicates: number }>('/api/v1/stats')).body;
    const queryable = async () => {
      const s = (await api.get<{ items: number; duplicates: number }>('/api/v1/stats')).body;
      return s.items - baseline.items + s.duplicates - baseline.duplicates;
    };
    // The writer keeps to the schedule: each tick sends what the rate owes by now.
    const writer = (async () => {
      while (!stopping) {
        const owed = Math.floor(elapsed() * rate) - sent;
        if (owed > 0) {
          const items = Array.from({ length: Math.min(owed, 1000) }, (_, j) => next(sent + j));
          sent += items.length;
          const res = await api
            .post('/api/v1/ingest/batch', { source: 'load', items })
            .catch(() => undefined);
          if (!res || res.status >= 300) fail(`ingest ${res?.status ?? 'network'}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const reader = async (r: number) => {
      let clusterIds: string[] = [];
      for (let i = r; !stopping; i++) {
        const kind: Kind = (['list', 'detail', 'search'] as const)[i % 3]!;
        const path =
          kind === 'list'
            ? '/api/v1/clusters?sort=size&limit=20'
            : kind === 'detail' && clusterIds.length
              ? `/api/v1/clusters/${clusterIds[i % clusterIds.length]}`
              : `/api/v1/search?q=${WORDS[i % WORDS.length]}&mode=hybrid&limit=10`;
        const actual: Kind = path.includes('/search') ? 'search' : kind;
        const t0 = performance.now();
        const res = await api.call<{ items?: Array<{ id: string }> }>(path).catch(() => undefined);
        if (!res || res.status !== 200) fail(`${actual} ${res?.status ?? 'network'}`);
        else latencies[actual].push(performance.now() - t0);
        if (actual === 'list' && res?.body.items?.length) clusterIds = res.body.items.map((c) => c.id);
      }
    };
    const reading = Promise.all(Array.from({ length: readers }, (_, r) => reader(r)));
    while (elapsed() < seconds) {
      await new Promise((r) => setTimeout(r, sampleSeconds * 1000));
      samples.push(await sample(topology, api, elapsed(), sent, await queryable().catch(() => NaN)));
      progress(`t=${Math.round(elapsed())}s sent ${sent} queryable ${samples.at(-1)!.queryable}`);
    }
    stopping = true;
    await Promise.all([writer, reading]);
    // Drain: how long the backlog takes to become queryable once the writer stops.
    const drainStart = performance.now();
    let done = await queryable();
    while (done < sent && performance.now() - drainStart < 300_000) {
      await new Promise((r) => setTimeout(r, 1000));
      done = await queryable();
    }
    console.log(
      JSON.stringify(
        report({
          rate,
          seconds,
          readers,
          sent,
          done,
          drainMs: performance.now() - drainStart,
          samples,
          latencies,
          errors,
        }),
      ),
    );
  } finally {
    stopping = true;
    await topology.stop();
  }
}

async function sample(topology: Topology, api: ApiClient, t: number, sent: number, queryable: number) {
  const queues: Record<string, number> = {};
  const res = await api
    .get<{ queues: Array<{ group: string; depth: number | null }> }>('/api/v1/admin/queues')
    .catch(() => undefined);
  for (const q of res?.body.queues ?? []) if (q.depth !== null) queues[q.group] = q.depth;
  const rss: Record<string, number> = {};
  for (const p of topology.processes) {
    const mib = p.child.pid ? rssMiB(p.child.pid) : null;
    if (mib !== null) rss[`${p.service}#${p.replica}`] = round(mib);
  }
  return { t, sent, queryable, queues, rss };
}

function report(o: {
  rate: number;
  seconds: number;
  readers: number;
  sent: number;
  done: number;
  drainMs: number;
  samples: Array<{
    t: number;
    sent: number;
    queryable: number;
    queues: Record<string, number>;
    rss: Record<string, number>;
  }>;
  latencies: Record<Kind, number[]>;
  errors: Record<string, number>;
}) {
  const ts = o.samples.map((s) => s.t);
  const series = (pick: (s: (typeof o.samples)[number]) => number | undefined) =>
    o.samples.map((s) => pick(s) ?? 0);
  const queueNames = [...new Set(o.samples.flatMap((s) => Object.keys(s.queues)))];
  const procNames = [...new Set(o.samples.flatMap((s) => Object.keys(s.rss)))];
  const last = o.samples.at(-1);
  return {
    bench: 'load',
    topology: 'rabbitmq',
    target_items_per_s: o.rate,
    seconds: o.seconds,
    readers: o.readers,
    items_sent: o.sent,
    items_queryable_at_end: last?.queryable ?? 0,
    achieved_queryable_items_per_s: last ? round(last.queryable / last.t) : 0,
    items_queryable_after_drain: o.done,
    drain_ms: Math.round(o.drainMs),
    api_ms: Object.fromEntries(
      Object.entries(o.latencies).map(([k, v]) => [
        k,
        {
          n: v.length,
          p50: round(percentile(v, 0.5)),
          p95: round(percentile(v, 0.95)),
          p99: round(percentile(v, 0.99)),
        },
      ]),
    ),
    errors: o.errors,
    queues: Object.fromEntries(
      queueNames.map((q) => {
        const ys = series((s) => s.queues[q]);
        return [q, { max: Math.max(...ys), final: ys.at(-1), ...growthVerdict(ts, ys) }];
      }),
    ),
    rss_mib: Object.fromEntries(
      procNames.map((p) => {
        const ys = series((s) => s.rss[p]);
        return [p, { start: ys[0], max: Math.max(...ys), end: ys.at(-1), ...growthVerdict(ts, ys) }];
      }),
    ),
    backlog: {
      final: o.sent - (last?.queryable ?? 0),
      ...growthVerdict(
        ts,
        o.samples.map((s) => s.sent - s.queryable),
      ),
    },
    growth_rule: GROWTH_RULE,
    samples: o.samples.length,
    machine: machine(),
  };
}

function progress(message: string): void {
  process.stderr.write(`load: ${message}\n`);
}
