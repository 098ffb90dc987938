import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { RabbitMqBroker, type ReceivedMessage } from '@trendmill/platform';
import { TEST_POSTGRES_URL, waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES, parseEvent } from '@trendmill/shared-contracts';
import { rssArticle } from '../fixtures/collected-items.js';
import { collected, collectedMessage } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

describe('normalizer as its own process (PostgreSQL + RabbitMQ, from env)', function () {
  this.timeout(90_000);
  const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
  const schema = `normalizer_${randomUUID().slice(0, 8)}`;
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

  it('starts from env, becomes ready, normalizes from RabbitMQ, and stops gracefully on SIGTERM', async () => {
    broker = await RabbitMqBroker.connect({
      url: RABBITMQ_URL,
      prefix,
      connectionName: 'normalizer-standalone-test',
    });
    const received: ReceivedMessage[] = [];
    await broker.subscribe({ group: 'observer', types: [EVENT_TYPES.itemNormalized] }, async (m) => {
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
          HTTP_PORT: String(port),
          NORMALIZER_DB_SCHEMA: schema,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: () => `normalizer ready (output so far: ${output})` },
    );
    await broker.publish(collectedMessage(collected(rssArticle)));
    await waitFor(() => received.length === 1, { timeoutMs: 45_000, what: 'item.normalized on RabbitMQ' });
    const parsed = parseEvent(received[0]!.body);
    expect(parsed.ok && parsed.event.subject).to.equal(rssArticle.itemId);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/trendmill_messages_consumed_total\{[^}]*outcome="ack"[^}]*\} 1/);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('refuses to start with a bad variable, naming it in one line', async () => {
    const bad = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: { ...process.env, DATABASE_URL: 'mysql://nope', BROKER_URL: 'memory://' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    bad.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    expect(code).to.equal(1);
    expect(err.trim().split('\n')).to.have.length(1);
    expect(err).to.contain('DATABASE_URL');
  });
});
