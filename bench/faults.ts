import { randomUUID } from 'node:crypto';
import { Topology } from '../test/support/topology.js';
import { drain } from './faults/accounting.js';
import { corpus } from './faults/corpus.js';
import { startEmbeddingServer, type EmbeddingServer } from './faults/embedding-server.js';
import { feed } from './faults/feeder.js';
import { ensureInfraUp } from './faults/infra.js';
import { measureRecovery } from './faults/recovery.js';
import { SCENARIOS, type Scenario } from './faults/scenarios.js';
import { machine } from './machine.js';

/**
 * Issue #8 faults: for each fault a fresh multi-process topology (one OS process per service on
 * the local RabbitMQ, PostgreSQL and Redis), a corpus streamed through the gateway at a steady
 * rate, the fault injected at 30 % of it and undone, then an accounting of what went in against
 * what came out. A fresh topology per scenario keeps one scenario's damage (or backlog) out of the
 * next one's numbers.
 *
 * Args: [N items per scenario, default 20000] [items/s, default 250] [scenario names...]
 */
const FAULT_AT = 0.3;

export async function run(args: string[]): Promise<void> {
  const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const n = numbers[0] ?? 20_000;
  const rate = numbers[1] ?? 250;
  const names = args.filter((a) => !/^\d+$/.test(a));
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length)
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(' ')}`,
    );
  const chosen = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
  const embedding = await startEmbeddingServer();
  const rows: Array<Record<string, unknown>> = [];
  const started = performance.now();
  try {
    for (const scenario of chosen) {
      const row = await runScenario(scenario, n, rate, embedding).catch((err: unknown) => ({
        bench: 'faults',
        scenario: scenario.name,
        items_in: n,
        pass: false,
        error: err instanceof Error ? err.message.slice(0, 2_000) : String(err),
      }));
      await ensureInfraUp();
      console.log(JSON.stringify({ ...row, machine: machine() }));
      rows.push(row);
    }
  } finally {
    await ensureInfraUp();
    await embedding.close();
  }
  console.log(
    JSON.stringify({
      bench: 'faults',
      summary: true,
      scenarios: rows.length,
      passed: rows.filter((r) => r.pass === true).length,
      failed: rows.filter((r) => r.pass !== true).map((r) => r.scenario),
      lost: sum(rows, 'lost'),
      duplicated: sum(rows, 'duplicated'),
      items_per_scenario: n,
      items_per_s: rate,
      seconds: Math.round((performance.now() - started) / 1000),
      machine: machine(),
    }),
  );
}

async function runScenario(
  scenario: Scenario,
  n: number,
  rate: number,
  embedding: EmbeddingServer,
): Promise<Record<string, unknown>> {
  const log = (message: string) => process.stderr.write(`faults ${scenario.name}: ${message}\n`);
  const t0 = performance.now();
  const remoteProvider = scenario.name === 'embedding-provider-down';
  log(`starting topology${remoteProvider ? ' (embedder on the bench endpoint)' : ''}`);
  const topology = await Topology.start({
    env: {
      gateway: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' },
      clusterer: { CLUSTERER_DISCOVERY_INTERVAL_MS: '5000' },
      ...(remoteProvider
        ? { embedder: { EMBEDDER_PROVIDER: 'hf-inference', EMBEDDER_HF_ENDPOINT_URL: embedding.url } }
        : {}),
    },
  });
  try {
    const gw = { base: topology.gateway, key: topology.apiKey };
    const items = corpus(n, randomUUID().slice(0, 8));
    let reached!: () => void;
    const faultDue = new Promise<void>((resolve) => (reached = resolve));
    let lastShown = 0;
    const feeding = feed(gw, items, {
      itemsPerSecond: rate,
      batchSize: 100,
      onProgress: (sent) => {
        if (sent >= n * FAULT_AT) reached();
        if (sent - lastShown >= n / 10) log(`${(lastShown = sent)}/${n} sent`);
      },
    });
    // A feed that fails before the fault is due must not leave the scenario waiting for it.
    await Promise.race([faultDue, feeding]);
    const faultStart = performance.now();
    const faultEnd = await scenario.inject({ topology, embedding, progress: log });
    const fault_s = (performance.now() - faultStart) / 1000;
    const recovery = await measureRecovery(topology, gw, faultEnd, 10 * 60_000, log);
    log(
      recovery.seconds === undefined
        ? `did not recover: ${recovery.why}`
        : `recovered in ${recovery.seconds} s`,
    );
    const fed = await feeding;
    log(
      `fed: ${fed.accepted.size} accepted, ${fed.rejected} rejected, ${fed.retries} batches re-sent; draining`,
    );
    const a = await drain(gw, topology.prefix, fed.accepted, {
      timeoutMs: 5 * 60_000 + n * 60,
      stallMs: 90_000,
      progress: log,
    });
    const pass =
      a.lost === 0 &&
      a.duplicated === 0 &&
      a.duplicate_cluster_created === 0 &&
      a.dead_lettered === 0 &&
      fed.rejected === 0 &&
      recovery.seconds !== undefined;
    return {
      bench: 'faults',
      scenario: scenario.name,
      items_in: n,
      accepted: fed.accepted.size,
      rejected: fed.rejected,
      ingest_retries: fed.retries,
      queryable: a.queryable,
      flagged_duplicate: a.flagged_duplicate,
      lost: a.lost,
      duplicated: a.duplicated,
      dead_lettered: a.dead_lettered,
      still_queued: a.waiting,
      clusters_created: a.clusters_created,
      duplicate_cluster_created: a.duplicate_cluster_created,
      fault_s: round(fault_s),
      recovery_s: recovery.seconds === undefined ? null : round(recovery.seconds),
      ready_s: recovery.readySeconds === undefined ? null : round(recovery.readySeconds),
      ...(recovery.why ? { not_recovered: recovery.why } : {}),
      items_per_s: rate,
      scenario_s: round((performance.now() - t0) / 1000),
      pass,
    };
  } finally {
    await topology.stop().catch((err: unknown) => log(`teardown: ${String(err)}`));
  }
}

function sum(rows: Array<Record<string, unknown>>, key: string): number {
  return rows.reduce((s, r) => s + (typeof r[key] === 'number' ? (r[key] as number) : 0), 0);
}

function round(value: number): number {
  return Number(value.toFixed(1));
}
