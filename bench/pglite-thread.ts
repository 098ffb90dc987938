import { startBenchEmbedded } from './support/embedded-app.js';
import { machine } from './machine.js';
import { ApiClient } from './support/api-client.js';
import { itemSource } from './support/corpus.js';
import { round } from './support/numbers.js';

/**
 * The embedded default with PGlite in a thread of its own (`TRENDMILL_PGLITE_THREAD=on`, the
 * default) against PGlite in the main thread (`off`, the baseline), in this process one after the
 * other: N items pushed through the gateway in batches of 500 while two probes each send one cheap
 * GET at a time (`/healthz`, `/api/v1/clusters?limit=5`, 50 ms apart) until every item is
 * queryable. Per mode: items/s and the probes' p50/p95/max; then the ratios thread / main thread.
 *
 * Args: [N] (default 2000) [rounds] (default 2, modes alternating: off, on, off, on, …; the best
 * round of each mode is kept).
 */
export async function run(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 2000);
  const rounds = Number(args[1] ?? 2);
  if (!(n >= 500) || !(rounds >= 1)) throw new Error('usage: pglite-thread [N ≥ 500] [rounds ≥ 1]');
  const best = new Map<string, Awaited<ReturnType<typeof measure>>>();
  const previous = process.env.TRENDMILL_PGLITE_THREAD;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['off', 'on'] as const) {
        process.env.TRENDMILL_PGLITE_THREAD = mode;
        const result = await measure(n, `${mode}-${round}`);
        console.log(JSON.stringify({ bench: 'pglite-thread', mode, round, ...result }));
        const kept = best.get(mode);
        if (!kept || result.items_per_s > kept.items_per_s) best.set(mode, result);
      }
    }
  } finally {
    if (previous === undefined) delete process.env.TRENDMILL_PGLITE_THREAD;
    else process.env.TRENDMILL_PGLITE_THREAD = previous;
  }
  const on = best.get('on')!;
  const off = best.get('off')!;
  console.log(
    JSON.stringify({
      bench: 'pglite-thread',
      summary: true,
      n,
      rounds,
      items_per_s: { thread: on.items_per_s, main_thread: off.items_per_s },
      throughput_ratio: round(on.items_per_s / off.items_per_s, 2),
      clusters_p50_ratio: round(on.clusters_ms.p50 / off.clusters_ms.p50, 3),
      clusters_p95_ratio: round(on.clusters_ms.p95 / off.clusters_ms.p95, 3),
      healthz_p95_ratio: round(on.healthz_ms.p95 / off.healthz_ms.p95, 3),
      rule: 'ratios: PGlite in its own thread / PGlite in the main thread (baseline), best round of each',
      machine: machine(),
    }),
  );
}

async function measure(n: number, label: string) {
  const app = await startBenchEmbedded('thread');
  try {
    const api = new ApiClient(app.base, app.key);
    const next = itemSource(`thread-${label}-${Date.now().toString(36)}`);
    let probing = true;
    const probe = async (path: string) => {
      const latencies: number[] = [];
      while (probing) {
        const started = performance.now();
        const res = await api.get(path, 10);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        const took = performance.now() - started;
        latencies.push(took);
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - took)));
      }
      return latencies;
    };
    const start = performance.now();
    const probes = Promise.all([probe('/healthz'), probe('/api/v1/clusters?limit=5')]);
    let done = 0;
    try {
      for (let sent = 0; sent < n; sent += 500) {
        const items = Array.from({ length: Math.min(500, n - sent) }, (_, j) => next(sent + j));
        const res = await api.post('/api/v1/ingest/batch', { source: 'thread', items });
        if (res.status >= 300) throw new Error(`ingest answered ${res.status}`);
      }
      const limit = performance.now() + 10 * 60_000;
      while (done < n) {
        if (performance.now() > limit) throw new Error(`${label}: ${done} of ${n} queryable after 10 min`);
        await new Promise((r) => setTimeout(r, 500));
        const s = (await api.get<{ items: number; duplicates: number }>('/api/v1/stats', 10)).body;
        done = s.items + s.duplicates;
      }
    } finally {
      probing = false;
    }
    const seconds = (performance.now() - start) / 1000;
    const [healthz, clusters] = await probes;
    process.stderr.write(`pglite-thread: ${label}: ${n} items in ${round(seconds)} s\n`);
    return {
      n,
      seconds: round(seconds),
      items_per_s: round(n / seconds),
      healthz_ms: spread(healthz),
      clusters_ms: spread(clusters),
    };
  } finally {
    await app.stop();
  }
}

function spread(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 1);
  return { samples: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}
