import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { RabbitMqBroker, type ReceivedMessage } from '@trendmill/platform';
import { TEST_POSTGRES_URL, waitFor } from '@trendmill/platform/testing';
import {
  EVENT_TYPES,
  createEvent,
  decodeVector,
  parseEvent,
  serializeEvent,
  type ItemEmbedded,
} from '@trendmill/shared-contracts';
import { normalized } from './service/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('embedder as its own process (PostgreSQL + RabbitMQ + Redis cache, from env)', function () {
  this.timeout(90_000);
  const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
  const schema = `embedder_${randomUUID().slice(0, 8)}`;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let child: ChildProcess | undefined;
  let output = '';
  let broker: RabbitMqBroker;

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await broker?.close();
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('starts from env, embeds item.normalized from RabbitMQ, serves /embed, and stops on SIGTERM', async () => {
    broker = await RabbitMqBroker.connect({
      url: RABBITMQ_URL,
      prefix,
      connectionName: 'embedder-standalone-test',
    });
    const received: ReceivedMessage[] = [];
    await broker.subscribe({ group: 'observer', types: [EVENT_TYPES.itemEmbedded] }, async (m) => {
      received.push(m);
    });
    child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: TEST_POSTGRES_URL,
          BROKER_URL: `${RABBITMQ_URL}?prefix=${prefix}`,
          REDIS_URL,
          HTTP_PORT: String(port),
          EMBEDDER_DB_SCHEMA: schema,
          EMBEDDER_API_KEYS: 'internal-key',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, {
      timeoutMs: 45_000,
      intervalMs: 200,
      what: () => `embedder ready (output so far: ${output})`,
    });

    // A text no earlier run has put into the shared Redis cache.
    const text = `A poor harvest pushed arabica futures up (run ${randomUUID()}).`;
    const item = normalized({ title: 'Coffee prices climb', text });
    const event = createEvent(EVENT_TYPES.itemNormalized, item, { source: '/test', subject: item.itemId });
    await broker.publish({ id: event.id, type: event.type, key: item.itemId, body: serializeEvent(event) });
    await waitFor(() => received.length === 1, { timeoutMs: 30_000, what: 'item.embedded on RabbitMQ' });
    const parsed = parseEvent(received[0]!.body);
    expect(parsed.ok).to.equal(true);
    const data = (parsed.ok ? parsed.event.data : undefined) as ItemEmbedded;
    expect(data.itemId).to.equal(item.itemId);
    expect(data.model).to.match(/^trendmill-local-v\d+/);
    expect(decodeVector(data.vector, data.dim)).to.have.length(data.dim);

    const unauthorized = await fetch(`${base}/embed`, { method: 'POST', body: '{"texts":["x"]}' });
    expect(unauthorized.status).to.equal(401);
    const res = await fetch(`${base}/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'internal-key' },
      body: JSON.stringify({ texts: [`Coffee prices climb\n${text}`] }),
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { model: string; vectors: number[][] };
    expect(body.model).to.equal(data.model);
    // The same input embedded by the consumer came back from the (Redis) cache: identical vector.
    expect(body.vectors[0]).to.deep.equal(Array.from(decodeVector(data.vector, data.dim)));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).to.match(/trendmill_embedder_cache_lookups_total\{[^}]*result="hit"[^}]*\} 1/);

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
          EMBEDDER_PROVIDER: 'magic',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    bad.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    expect(code).to.equal(1);
    expect(err.trim().split('\n')).to.have.length(1);
    expect(err).to.contain('EMBEDDER_PROVIDER');
  });
});
