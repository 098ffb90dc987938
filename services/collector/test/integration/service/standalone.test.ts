import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createBroker, type Broker, type ReceivedMessage } from '@trendmill/platform';
import {
  TEST_POSTGRES_URL,
  createPostgresTestDatabase,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { EVENT_TYPES, parseEvent } from '@trendmill/shared-contracts';
import { FeedServer, entry } from './feed-server.js';
import { call } from './harness.js';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** One fixed prefix: this suite's exchange is reused run after run, and its queues are deleted after. */
const PREFIX = 'trendmill_collector_standalone_test';
const BROKER_URL = `${RABBITMQ_URL}?prefix=${PREFIX}`;

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 5672), timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

interface Child {
  process: ChildProcess;
  messages: () => string[];
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first log message matching; rejects if the process exits first. */
  waitForLog: (pattern: RegExp) => Promise<string>;
}

/** Runs the collector's main.ts the way it runs in distributed mode. */
function runCollector(env: Record<string, string>): Child {
  const base = { ...process.env };
  for (const key of Object.keys(base))
    if (/^(COLLECTOR_|OTEL_|DATABASE_URL|BROKER_URL|HTTP_PORT)/.test(key)) delete base[key];
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'services/collector/src/main.ts'],
    { cwd: repoRoot, env: { ...base, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      wake();
      resolve(code);
    }),
  );
  const messages = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => String((JSON.parse(l) as { message?: unknown }).message));
  const waitForLog = async (pattern: RegExp) => {
    for (;;) {
      const found = messages().find((m) => pattern.test(m));
      if (found) return found;
      if (child.exitCode !== null)
        throw new Error(
          `collector exited (${child.exitCode}) before logging ${pattern}: ${stderr}\n${stdout}`,
        );
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { process: child, messages, stderr: () => stderr, exited, waitForLog };
}

/** Resolves to the exit code, or rejects when the process is still running after `ms`. */
async function exitWithin(child: Child, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`collector still running ${ms} ms after SIGTERM`)), ms);
  });
  try {
    return await Promise.race([child.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function deleteQueues(prefix: string): Promise<void> {
  const run = promisify(execFile);
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name']);
  for (const queue of stdout.split('\n').map((l) => l.trim())) {
    if (queue.startsWith(`${prefix}.`)) await run('rabbitmqctl', ['delete_queue', queue]);
  }
}

const rabbitUp = await reachable(RABBITMQ_URL);
const suite = rabbitUp ? describe : describe.skip;
const why = rabbitUp ? '' : ` (skipped: RabbitMQ not reachable at ${new URL(RABBITMQ_URL).host})`;

suite(`collector as a standalone process over PostgreSQL and RabbitMQ${why}`, function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let feed: FeedServer;
  let broker: Broker;
  let child: Child | undefined;
  const received: Array<{ type: string; data: Record<string, unknown> }> = [];

  before(async () => {
    broker = await createBroker(BROKER_URL, { service: 'collector-standalone-test' });
    await broker.subscribe(
      { group: 'recorder', types: [EVENT_TYPES.itemCollected] },
      async (m: ReceivedMessage) => {
        const parsed = parseEvent(m.body);
        if (!parsed.ok) throw new Error(parsed.reason);
        received.push({ type: parsed.event.type, data: parsed.event.data as Record<string, unknown> });
      },
    );
  });
  after(async () => {
    await broker?.close();
    await deleteQueues(PREFIX).catch(() => undefined); // best effort: leftovers are only empty queues
  });
  beforeEach(async () => {
    db = await createPostgresTestDatabase({ prefix: 'collector' });
    feed = await new FeedServer().start();
    received.length = 0;
  });
  afterEach(async () => {
    if (child && child.process.exitCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    child = undefined;
    feed.releaseHeld();
    await feed.close();
    await db.close();
  });

  /** Polls recorded for a source (successes and failures), read from the collector's schema. */
  const pollsRecorded = async (id: string) => {
    const rows = await db.sql.query<{ n: number }>(
      `SELECT successes + failures AS n FROM "${db.schema}".sources WHERE id = $1`,
      [id],
    );
    return rows[0]?.n ?? 0;
  };

  const start = async (extra: Record<string, string> = {}) => {
    child = runCollector({
      DATABASE_URL: TEST_POSTGRES_URL,
      COLLECTOR_DB_SCHEMA: db.schema,
      BROKER_URL,
      HTTP_PORT: '0',
      COLLECTOR_FETCH_ALLOWLIST: '127.0.0.1/32',
      ...extra,
    });
    const ready = await child.waitForLog(/^collector ready; API on :\d+\/api\/v1/);
    const port = /:(\d+)\//.exec(ready)![1];
    return { child, base: `http://127.0.0.1:${port}` };
  };

  it('serves health and the API, polls a feed, publishes to RabbitMQ, and exits 0 on SIGTERM', async () => {
    feed.add(entry(1), entry(2));
    const { child, base } = await start({ COLLECTOR_API_KEYS: 'standalone-key' });
    const key = { 'x-api-key': 'standalone-key' };

    const alive = await call('GET', `${base}/healthz`);
    expect(alive).to.deep.include({ status: 200, body: { status: 'alive' } });
    await waitFor(async () => (await call('GET', `${base}/readyz`)).status === 200, { what: '/readyz' });
    const ready = await call('GET', `${base}/readyz`);
    expect(ready.body.checks).to.have.members(['broker', 'database']);

    expect((await call('GET', `${base}/api/v1/sources`)).status).to.equal(401);
    const created = await call('POST', `${base}/api/v1/sources`, { type: 'feed', url: feed.url() }, key);
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    const listed = await call('GET', `${base}/api/v1/sources`, undefined, key);
    expect(listed.body.sources.map((s: { id: string }) => s.id)).to.deep.equal([id]);
    const privateUrl = await call(
      'POST',
      `${base}/api/v1/sources`,
      { type: 'feed', url: 'http://10.0.0.1/rss' },
      key,
    );
    expect(privateUrl.body.error.code).to.equal('url_not_allowed');

    // The scheduler (on by default) polls the new source at once; its items go out over RabbitMQ.
    await waitFor(() => received.length === 2, {
      what: 'two item.collected over RabbitMQ',
      timeoutMs: 20_000,
    });
    expect(feed.hits()).to.have.length(1);
    expect(received.map((r) => r.data.externalId)).to.have.members(['urn:test:item-1', 'urn:test:item-2']);
    expect(received.every((r) => r.data.sourceId === id && r.type === EVENT_TYPES.itemCollected)).to.equal(
      true,
    );
    const health = await call('GET', `${base}/api/v1/sources/${id}/health`, undefined, key);
    expect(health.body).to.include({ successes: 1, failures: 0, itemsLast24h: 2 });

    const pushed = await call('POST', `${base}/api/v1/ingest?source=standalone`, { title: 'Pushed' }, key);
    expect(pushed.status).to.equal(202);
    await waitFor(() => received.some((r) => r.data.itemId === pushed.body.itemId), {
      what: 'the pushed item over RabbitMQ',
    });

    const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(metrics).to.match(/trendmill_collector_polls_total\{[^}]*outcome="changed"[^}]*\} 1/);

    child.process.kill('SIGTERM');
    expect(await exitWithin(child, 15_000)).to.equal(0);
    expect(child.messages()).to.include.members(['collector shutting down', 'collector stopped']);
  });

  it('on SIGTERM mid-poll gives the source back untouched and exits 0 without waiting for the fetch', async () => {
    feed.held.add('/feed.xml');
    const { child, base } = await start();
    const created = await call('POST', `${base}/api/v1/sources`, { type: 'feed', url: feed.url() });
    expect(created.status).to.equal(201);
    await waitFor(() => feed.heldCount === 1, { what: 'the poll waiting on the feed', timeoutMs: 20_000 });

    child.process.kill('SIGTERM');
    // The fetch would wait up to its 120 s timeout; stopping aborts it instead.
    expect(await exitWithin(child, 15_000)).to.equal(0);
    const rows = await db.sql.query<{
      lease_owner: string | null;
      failures: number;
      last_polled_at: Date | null;
    }>(`SELECT lease_owner, failures, last_polled_at FROM "${db.schema}".sources WHERE id = $1`, [
      created.body.id,
    ]);
    expect(rows).to.deep.equal([{ lease_owner: null, failures: 0, last_polled_at: null }]);
  });

  it('on SIGTERM during a poll-now request answers it and exits 0 without waiting for the fetch', async () => {
    const { child, base } = await start();
    feed.add(entry(1));
    const created = await call('POST', `${base}/api/v1/sources`, { type: 'feed', url: feed.url() });
    await waitFor(async () => (await pollsRecorded(created.body.id)) === 1, {
      what: 'the first scheduled poll',
    });
    feed.held.add('/feed.xml');
    const pending = call('POST', `${base}/api/v1/sources/${created.body.id}/poll`);
    await waitFor(() => feed.heldCount === 1, { what: 'the poll-now request waiting on the feed' });

    child.process.kill('SIGTERM');
    expect(await exitWithin(child, 15_000)).to.equal(0);
    const answered = await pending;
    expect(answered.status).to.be.within(500, 599);
    expect(answered.body.error.code).to.be.a('string');
    expect(await pollsRecorded(created.body.id)).to.equal(1); // the aborted poll is not counted
  });

  it('refuses to start on a bad configuration, in one line, with exit code 1', async () => {
    const bad = runCollector({ BROKER_URL, HTTP_PORT: '0', COLLECTOR_CONCURRENCY: '0' });
    child = bad;
    expect(await exitWithin(bad, 15_000)).to.equal(1);
    const lines = bad.stderr().trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Invalid configuration: /);
    expect(lines[0]).to.contain('DATABASE_URL: required but not set');
    expect(lines[0]).to.contain('COLLECTOR_CONCURRENCY');
  });
});
