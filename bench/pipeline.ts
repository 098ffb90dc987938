import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryBroker } from '@trendmill/platform';
import { startBenchEmbedded } from './support/embedded-app.js';
import { Topology } from '../test/support/topology.js';
import { rawAmqplib } from './broker.js';
import { sharedDataDir } from './data-dir.js';
import { machine } from './machine.js';

/**
 * End to end: items pushed through the gateway's ingest API until every one is queryable (or
 * flagged as a duplicate) through the gateway, for the embedded default (one process, in-memory
 * broker, PGlite) and for the multi-process RabbitMQ topology (one OS process per service, local
 * PostgreSQL and Redis). Beside each: the raw broker's publish→consume throughput measured in the
 * same run, divided by the hops an item takes before it is queryable (item.collected →
 * item.normalized → item.embedded → query), the ceiling the pipeline could reach if services
 * cost nothing.
 *
 * Args: [N items, default 2000] [LATENCY samples, default 30] [embedded|rabbitmq ...]
 */
const HOPS = 3;
const repo = fileURLToPath(new URL('..', import.meta.url));

interface Target {
  base: string;
  key: string;
  stop(): Promise<void>;
}

export async function run(args: string[]): Promise<void> {
  const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const n = numbers[0] ?? 2000;
  const samples = numbers[1] ?? 30;
  const named = args.filter((a) => !/^\d+$/.test(a));
  const topologies = named.length ? named : ['embedded', 'rabbitmq'];
  for (const name of topologies) {
    if (name !== 'embedded' && name !== 'rabbitmq') throw new Error(`unknown topology ${name}`);
    const raw =
      name === 'embedded' ? await rawMemory(20_000) : await rawAmqplib(10_000, Buffer.alloc(1024, 97));
    progress(`${name}: raw broker ${Math.round(raw)} msgs/s; starting`);
    const target = name === 'embedded' ? await embedded() : await distributed();
    try {
      const throughput = await measureThroughput(target, n);
      progress(`${name}: ${throughput.itemsPerSecond.toFixed(1)} items/s; measuring latency`);
      const latency = await measureLatency(target, samples);
      console.log(
        JSON.stringify({
          bench: 'pipeline',
          topology: name,
          items: n,
          seconds: round(throughput.seconds),
          items_per_s: round(throughput.itemsPerSecond),
          duplicates: throughput.duplicates,
          publish_to_queryable_ms: { p50: round(pct(latency, 0.5)), p95: round(pct(latency, 0.95)), samples },
          raw_broker_msgs_per_s: Math.round(raw),
          hops: HOPS,
          raw_per_hop_msgs_per_s: Math.round(raw / HOPS),
          ratio_pipeline_over_raw_per_hop: round(throughput.itemsPerSecond / (raw / HOPS), 4),
          machine: machine(),
        }),
      );
    } finally {
      await target.stop();
    }
  }
}

async function embedded(): Promise<Target> {
  return startBenchEmbedded('pipeline');
}

async function distributed(): Promise<Target> {
  const topology = await Topology.start({
    env: { gateway: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' } },
  });
  return { base: topology.gateway, key: topology.apiKey, stop: () => topology.stop() };
}

/** Real StackOverflow titles from the demo corpus, each with an id unique to this run. */
function corpus(n: number): Array<Record<string, unknown>> {
  const titles = readFileSync(join(repo, 'deploy/sample-data/stackoverflow-demo.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { title: string }).title);
  const run = randomUUID().slice(0, 8);
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    externalId: `bench-${run}-${i}`,
    // Cycling past the corpus would only make duplicates; a round number keeps each text unique.
    title:
      i < titles.length ? titles[i] : `${titles[i % titles.length]} (round ${Math.floor(i / titles.length)})`,
    publishedAt: new Date(now - (n - i) * 1000).toISOString(),
    language: 'en',
  }));
}

async function call<T>(
  target: Target,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${target.base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function measureThroughput(target: Target, n: number) {
  const items = corpus(n);
  const baseline = (await call<{ items: number; duplicates: number }>(target, '/api/v1/stats')).body;
  const start = performance.now();
  for (let i = 0; i < items.length; i += 500) {
    const res = await call(target, '/api/v1/ingest/batch', {
      method: 'POST',
      body: JSON.stringify({ source: 'bench', items: items.slice(i, i + 500) }),
    });
    if (res.status >= 300) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  let last: typeof baseline;
  for (let waited = 0; ; waited += 250) {
    last = (await call<{ items: number; duplicates: number }>(target, '/api/v1/stats')).body;
    const done = last.items - baseline.items + (last.duplicates - baseline.duplicates);
    if (done >= n) break;
    if (waited % 10_000 === 0) progress(`  ${done}/${n} queryable`);
    if (waited > 30 * 60_000) throw new Error(`only ${done}/${n} items queryable after 30 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, itemsPerSecond: n / seconds, duplicates: last.duplicates - baseline.duplicates };
}

/**
 * One item at a time on an idle pipeline: from the ingest call to the first 200 of GET /items/:id.
 * Each probe is a different real news headline (AG News, a domain the throughput corpus does not
 * touch): probes that differ only in a number are near-duplicates of each other, and a duplicate is
 * flagged, never served as an item of its own.
 */
async function measureLatency(target: Target, samples: number): Promise<number[]> {
  const run = randomUUID().slice(0, 8);
  const headlines = readFileSync(join(sharedDataDir(), 'agnews-8000', 'items.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, samples)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  if (headlines.length < samples)
    throw new Error(`only ${headlines.length} AG News texts for ${samples} probes`);
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    const res = await call<{ itemId: string }>(target, '/api/v1/ingest?source=latency', {
      method: 'POST',
      body: JSON.stringify({ externalId: `latency-${run}-${i}`, title: headlines[i] }),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    for (;;) {
      const found = await fetch(`${target.base}/api/v1/items/${encodeURIComponent(res.body.itemId)}`, {
        headers: { authorization: `Bearer ${target.key}` },
      });
      if (found.status === 200) break;
      if (performance.now() - start > 120_000)
        throw new Error(`item ${res.body.itemId} not queryable in 2 min`);
      await new Promise((r) => setTimeout(r, 10));
    }
    latencies.push(performance.now() - start);
  }
  return latencies.sort((a, b) => a - b);
}

/** The in-memory broker's own publish→consume rate, the embedded default's ceiling. */
async function rawMemory(count: number): Promise<number> {
  const broker = new MemoryBroker(`bench-${randomUUID().slice(0, 8)}`);
  let consumed = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await broker.subscribe({ group: 'bench', types: ['trendmill.bench.happened.v1'] }, async () => {
    if (++consumed === count) resolveDone();
  });
  const body = Buffer.alloc(1024, 97);
  const start = performance.now();
  for (let i = 0; i < count; i += 200) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 200); j++)
      batch.push({ id: String(j), type: 'trendmill.bench.happened.v1', key: `k${j % 64}`, body });
    await broker.publish(batch);
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  await broker.close();
  return count / seconds;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

function progress(message: string): void {
  process.stderr.write(`pipeline: ${message}\n`);
}
