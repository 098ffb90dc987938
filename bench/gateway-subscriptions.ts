import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import express from 'express';
import { Registry } from 'prom-client';
import { MemoryBroker, createLogger, createMetrics, migrate } from '../services/platform/src/index.js';
import { createPostgresTestDatabase } from '../services/platform/src/testing/index.js';
import { EVENT_TYPES, createEvent, eventCatalog } from '../shared-contracts/src/index.js';
import {
  SUBSCRIPTIONS_MIGRATIONS_DIR,
  startEventLog,
  startWebhookDispatcher,
  subscriptionRoutes,
} from '../services/gateway/src/subscriptions/index.js';
import { machine } from './machine.js';

/**
 * The gateway's subscription side on the local PostgreSQL, in one process:
 * - append: events/s into the event log through `append` with 32 in flight (the consumer's prefetch),
 *   i.e. group commit under one ordering lock;
 * - sse: N events appended while C SSE clients stream them; events/s until every client has all,
 *   and the p50/p99 delay from the append's commit to receipt;
 * - webhooks: N events to one subscription on a loopback receiver (answering 204); deliveries/s.
 *
 * Args: [--events 5000] [--clients 20] [--hooks 1000]
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '5000' },
      clients: { type: 'string', default: '20' },
      hooks: { type: 'string', default: '1000' },
    },
  });
  const events = Number(values.events);
  const clients = Number(values.clients);
  const hooks = Number(values.hooks);
  const db = await createPostgresTestDatabase({ prefix: 'benchgw', poolSize: 20 });
  const logger = createLogger('bench', 'error');
  const registry = new Registry();
  await migrate(db.sql, { schema: db.schema, dirs: [SUBSCRIPTIONS_MIGRATIONS_DIR] });
  const broker = new MemoryBroker(`bench-${randomUUID()}`);
  const eventLog = await startEventLog({
    db,
    broker,
    logger,
    registry,
    metrics: createMetrics('gateway', registry),
    consume: false,
  });
  const make = (i: number) =>
    createEvent(
      EVENT_TYPES.clusterCreated,
      { ...eventCatalog[EVENT_TYPES.clusterCreated].example, clusterId: `clu_${i}`, label: `topic ${i}` },
      { source: '/bench', subject: `clu_${i}` },
    );
  try {
    // append
    let started = performance.now();
    await inParallel(events, 32, (i) => eventLog.append(make(i)));
    const appendSeconds = (performance.now() - started) / 1000;

    // sse
    const app = express();
    app.use(subscriptionRoutes({ eventLog, db, logger, registry, ssrfAllowlist: ['127.0.0.1/32'] }));
    const server = await listen(createServer(app));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const appendedAt = new Map<string, number>();
    const delays: number[] = [];
    const streams = await Promise.all(
      Array.from({ length: clients }, () =>
        openStream(`${base}/stream?types=cluster.created`, appendedAt, delays),
      ),
    );
    started = performance.now();
    await inParallel(events, 32, async (i) => {
      const event = make(events + i);
      await eventLog.append(event);
      appendedAt.set(event.id, performance.now());
    });
    await until(() => streams.every((s) => s.count() >= events));
    const sseSeconds = (performance.now() - started) / 1000;
    for (const s of streams) s.close();
    delays.sort((a, b) => a - b);

    // webhooks
    let received = 0;
    const receiver = await listen(
      createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          received++;
          res.statusCode = 204;
          res.end();
        });
      }),
    );
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await fetch(`${base}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: hookUrl, types: ['cluster.created'] }),
    });
    if (created.status !== 201) throw new Error(`subscription: HTTP ${created.status}`);
    const dispatcher = startWebhookDispatcher({
      db,
      eventLog,
      logger,
      registry,
      ssrfAllowlist: ['127.0.0.1/32'],
      pollIntervalMs: 100,
    });
    started = performance.now();
    await inParallel(hooks, 32, (i) => eventLog.append(make(2 * events + i)));
    await until(() => received >= hooks);
    const hookSeconds = (performance.now() - started) / 1000;
    await dispatcher.stop();
    server.closeAllConnections();
    receiver.closeAllConnections();
    server.close();
    receiver.close();

    console.log(
      JSON.stringify({
        bench: 'gateway-subscriptions',
        database: 'postgresql',
        events,
        append_events_per_s: Math.round(events / appendSeconds),
        sse_clients: clients,
        sse_events_per_s_per_client: Math.round(events / sseSeconds),
        sse_delay_ms_p50: round(delays[Math.floor(delays.length * 0.5)]),
        sse_delay_ms_p99: round(delays[Math.floor(delays.length * 0.99)]),
        webhook_deliveries: hooks,
        webhook_deliveries_per_s: Math.round(hooks / hookSeconds),
        machine: machine(),
      }),
    );
  } finally {
    await eventLog.stop();
    await broker.close();
    await db.cleanup();
  }
}

async function openStream(url: string, appendedAt: Map<string, number>, delays: number[]) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  let count = 0;
  let buffer = '';
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          count++;
          const id = (JSON.parse(data.slice(6)) as { id: string }).id;
          const at = appendedAt.get(id);
          if (at !== undefined) delays.push(performance.now() - at);
        }
      }
    } catch {
      // closed
    }
  })();
  return { count: () => count, close: () => controller.abort() };
}

async function inParallel(n: number, width: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function until(check: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('bench timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const round = (x: number | undefined) => (x === undefined ? null : Number(x.toFixed(1)));

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
