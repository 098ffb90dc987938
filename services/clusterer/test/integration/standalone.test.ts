import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pg from 'pg';
import { RabbitMqBroker, type ReceivedMessage } from '@trendmill/platform';
import { TEST_POSTGRES_URL, waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES, parseEvent } from '@trendmill/shared-contracts';
import { axis, embeddedMessage, vectorNear } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

describe('clusterer as its own processes (PostgreSQL + RabbitMQ, from env): active and standby', function () {
  this.timeout(120_000);
  const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
  const schema = `clusterer_${randomUUID().slice(0, 8)}`;
  const children: ChildProcess[] = [];
  const output = new Map<ChildProcess, string>();
  let broker: RabbitMqBroker;

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await broker?.close();
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const launch = (port: number, env: Record<string, string> = {}) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, '../../src/main.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: TEST_POSTGRES_URL,
          BROKER_URL: `${RABBITMQ_URL}?prefix=${prefix}`,
          HTTP_PORT: String(port),
          CLUSTERER_DB_SCHEMA: schema,
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    output.set(child, '');
    child.stdout!.on('data', (d) => output.set(child, output.get(child) + String(d)));
    child.stderr!.on('data', (d) => output.set(child, output.get(child) + String(d)));
    children.push(child);
    return child;
  };
  const readiness = async (port: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    return res?.status === 200 ? ((await res.json()) as { role?: string }) : undefined;
  };
  const roleOf = async (port: number) => (await readiness(port))?.role;

  it('one process consumes, the other waits; killing the active one hands over', async () => {
    broker = await RabbitMqBroker.connect({
      url: RABBITMQ_URL,
      prefix,
      connectionName: 'clusterer-standalone-test',
    });
    const received: ReceivedMessage[] = [];
    await broker.subscribe({ group: 'observer', types: [EVENT_TYPES.itemClustered] }, async (m) => {
      received.push(m);
    });
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const first = launch(base);
    await waitFor(async () => (await roleOf(base)) === 'active', {
      timeoutMs: 40_000,
      intervalMs: 200,
      what: () => `first clusterer active (output: ${output.get(first)})`,
    });
    const second = launch(base + 1);
    await waitFor(async () => (await roleOf(base + 1)) === 'standby', {
      timeoutMs: 40_000,
      intervalMs: 200,
      what: () => `second clusterer on standby (output: ${output.get(second)})`,
    });

    const item = (n: number) => ({
      itemId: `proc-${n}`,
      title: `process story ${n}`,
      vector: vectorNear(axis(8, 2), n),
    });
    await broker.publish(embeddedMessage(item(1)));
    await waitFor(() => received.length === 1, {
      timeoutMs: 30_000,
      what: 'item.clustered from the active one',
    });
    const metrics = await (await fetch(`http://127.0.0.1:${base}/metrics`)).text();
    expect(metrics).to.match(/trendmill_clusterer_items_total\{[^}]*outcome="pooled"[^}]*\} 1/);
    expect(metrics).to.match(/trendmill_clusterer_active(\{[^}]*\})? 1\n/);
    expect(await (await fetch(`http://127.0.0.1:${base + 1}/metrics`)).text()).to.match(
      /trendmill_clusterer_active(\{[^}]*\})? 0\n/,
    );

    first.kill('SIGKILL');
    await waitFor(async () => (await roleOf(base + 1)) === 'active', {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'the standby takes over',
    });
    await broker.publish(embeddedMessage(item(2)));
    await waitFor(() => received.length === 2, {
      timeoutMs: 30_000,
      what: 'item.clustered from the new leader',
    });
    const parsed = parseEvent(received[1]!.body);
    expect(parsed.ok && parsed.event.subject).to.equal('proc-2');

    const exited = new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    second.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('refuses to start with a bad variable, naming it in one line', async () => {
    const bad = launch(0, { CLUSTERER_ASSIGN_THRESHOLD: '2' });
    let err = '';
    bad.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    expect(code).to.equal(1);
    expect(err.trim().split('\n')).to.have.length(1);
    expect(err).to.contain('CLUSTERER_ASSIGN_THRESHOLD');
  });
});
