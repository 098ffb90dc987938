import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { RabbitMqBroker } from '@trendmill/platform';
import { TEST_POSTGRES_URL, waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, encodeVector, serializeEvent } from '@trendmill/shared-contracts';
import { embeddingInput } from '@trendmill/embedder';
import { createQueryHttpClient } from '../../src/http/client.js';
import { CORPUS } from '../fixtures/corpus.js';
import { localProvider } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

describe('query service as its own process (PostgreSQL + RabbitMQ + embedded vectors, from env)', function () {
  this.timeout(120_000);
  const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
  const schema = `query_${randomUUID().slice(0, 8)}`;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let child: ChildProcess | undefined;
  let output = '';
  let broker: RabbitMqBroker | undefined;
  let embedder: Server | undefined;
  let vectorDir: string | undefined;

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await broker?.close();
    embedder?.close();
    if (vectorDir) await rm(vectorDir, { recursive: true, force: true });
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('starts from env, projects from RabbitMQ, answers its API with a key, and stops on SIGTERM', async () => {
    // The embedder's POST /embed, answered with the real local model.
    embedder = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', async () => {
        const { texts } = JSON.parse(body) as { texts: string[] };
        const [vector] = await localProvider().embed([embeddingInput({ title: '', text: texts[0]! })]);
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            model: localProvider().model,
            dim: localProvider().dim,
            vectors: [encodeVector(vector!)],
          }),
        );
      });
    });
    embedder.listen(0, '127.0.0.1');
    await once(embedder, 'listening');
    vectorDir = await mkdtemp(join(tmpdir(), 'query-standalone-'));
    broker = await RabbitMqBroker.connect({
      url: RABBITMQ_URL,
      prefix,
      connectionName: 'query-standalone-test',
    });

    child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: TEST_POSTGRES_URL,
          BROKER_URL: `${RABBITMQ_URL}?prefix=${prefix}`,
          HTTP_PORT: String(port),
          QUERY_DB_SCHEMA: schema,
          QUERY_VECTOR_DIR: vectorDir,
          EMBEDDER_URL: `http://127.0.0.1:${(embedder.address() as AddressInfo).port}`,
          QUERY_API_KEYS: 'secret-1',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
      { timeoutMs: 45_000, intervalMs: 200, what: () => `query service ready (output so far: ${output})` },
    );

    const items = CORPUS.slice(0, 4);
    const vectors = await localProvider().embed(items.map((i) => embeddingInput(i)));
    await broker.publish(
      items.map((item, i) => {
        const event = createEvent(
          EVENT_TYPES.itemEmbedded,
          {
            itemId: item.id,
            model: localProvider().model,
            dim: localProvider().dim,
            vector: encodeVector(vectors[i]!),
            contentHash: 'a'.repeat(64),
            sourceId: item.sourceId ?? 'src',
            sourceType: 'rss',
            title: item.title,
            text: item.text,
            language: 'en',
            publishedAt: item.publishedAt,
          },
          { source: '/test', subject: item.id },
        );
        return { id: event.id, type: event.type, key: item.id, body: serializeEvent(event) };
      }),
    );
    const client = createQueryHttpClient(`http://127.0.0.1:${port}`, { apiKey: 'secret-1' });
    await waitFor(async () => (await client.stats()).items === 4, {
      timeoutMs: 45_000,
      intervalMs: 200,
      what: 'four items projected',
    });
    const result = await client.search({ q: 'tomato pasta sauce', mode: 'hybrid', limit: 2 });
    expect(result.hits[0]!.item.id).to.equal('pasta-1');
    expect(result.model).to.equal(localProvider().model);
    expect((await fetch(`http://127.0.0.1:${port}/stats`)).status, 'no key, no answer').to.equal(401);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(
      /trendmill_query_events_applied_total\{[^}]*type="trendmill\.item\.embedded\.v1"[^}]*\} 4/,
    );
    client.close();

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('refuses to start without EMBEDDER_URL, naming it', async () => {
    const bad = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: { ...process.env, DATABASE_URL: TEST_POSTGRES_URL, BROKER_URL: 'memory://', EMBEDDER_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    bad.stderr!.on('data', (d) => (err += d));
    bad.stdout!.on('data', (d) => (err += d));
    const [code] = (await once(bad, 'exit')) as [number];
    expect(code).to.not.equal(0);
    expect(err).to.match(/EMBEDDER_URL/);
  });
});
