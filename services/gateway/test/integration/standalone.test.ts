import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pg from 'pg';
import { Registry } from 'prom-client';
import { CollectorService, createCollectorApp, createCollectorMetrics } from '@trendmill/collector';
import { createLogger } from '@trendmill/platform';
import {
  TEST_POSTGRES_URL,
  createPostgresTestDatabase,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { createQueryApp } from '@trendmill/query';
import { FakeQuery } from './fake-query.js';
import { TEST_REDIS_URL } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const ADMIN_KEY = `standalone-${randomUUID()}`;

/** The gateway as its own process: the query service and the collector reached over HTTP. */
describe('gateway as its own process (PostgreSQL, RabbitMQ, Redis; query and collector over HTTP)', function () {
  this.timeout(120_000);
  const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
  const schema = `gateway_${randomUUID().slice(0, 8)}`;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const servers: Server[] = [];
  let collectorDb: TestDatabase;
  let collector: CollectorService;
  let child: ChildProcess | undefined;
  let output = '';

  const listen = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await collector?.stop();
    await collectorDb?.cleanup();
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('starts from env, serves reads and ingest through its backends, and stops on SIGTERM', async () => {
    const logger = createLogger('standalone-test', 'error');
    const queryUrl = await listen(createQueryApp(new FakeQuery(), { logger }));
    collectorDb = await createPostgresTestDatabase({ prefix: 'gwsacoll' });
    collector = new CollectorService(
      { db: collectorDb, publish: async () => {}, logger, metrics: createCollectorMetrics(new Registry()) },
      { scheduler: false },
    );
    await collector.start();
    const collectorUrl = await listen(createCollectorApp(collector, { logger }));

    child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: TEST_POSTGRES_URL,
          BROKER_URL: `${RABBITMQ_URL}?prefix=${prefix}`,
          REDIS_URL: TEST_REDIS_URL,
          HTTP_PORT: String(port),
          GATEWAY_DB_SCHEMA: schema,
          QUERY_URL: queryUrl,
          COLLECTOR_URL: collectorUrl,
          GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(
      async () => {
        if (child!.exitCode !== null) throw new Error(`gateway exited with ${child!.exitCode}: ${output}`);
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 300, what: () => `gateway ready (output so far: ${output})` },
    );
    const auth = { authorization: `Bearer ${ADMIN_KEY}` };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}/api/v1${path}`, { ...init, headers: { ...auth, ...init.headers } });
    await waitFor(async () => (await api('/clusters')).status === 200, {
      timeoutMs: 20_000,
      what: 'the app',
    });

    const clusters = (await (await api('/clusters')).json()) as { items: Array<{ id: string }> };
    expect(clusters.items.map((c) => c.id)).to.deep.equal(['c1', 'c2']);
    const missing = await api('/clusters/none');
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('cluster_not_found');
    const ingested = await api('/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `standalone ${prefix}`, content: 'through the gateway process' }),
    });
    expect(ingested.status).to.equal(202);
    expect((await api('/clusters', { headers: { authorization: 'Bearer nope' } })).status).to.equal(401);
    const openapi = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
    expect(((await openapi.json()) as { openapi: string }).openapi).to.equal('3.1.0');

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(
      /trendmill_gateway_requests_total\{[^}]*route="\/api\/v1\/clusters"[^}]*status="200"/,
    );
    expect(output, 'keys never reach the logs').to.not.include(ADMIN_KEY);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('refuses to start with a bad variable, naming it in one line', async () => {
    const bad = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: TEST_POSTGRES_URL,
          BROKER_URL: 'memory://',
          QUERY_URL: 'not a url',
          COLLECTOR_URL: 'http://127.0.0.1:1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    bad.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', (c) => resolve(c)));
    expect(code).to.not.equal(0);
    expect(stderr).to.include('QUERY_URL');
  });
});
