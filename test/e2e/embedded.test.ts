import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@trendmill/platform/testing';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'services/cli/bin/trendmill.js');

/** `trendmill run` as a newcomer starts it: one process, PGlite and the in-memory broker. */
class Embedded {
  child!: ChildProcess;
  output = '';
  constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly env: Record<string, string>,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The admin key the launcher printed and keeps in the data directory. */
  get key(): string {
    return readFileSync(join(this.dataDir, 'gateway-admin.key'), 'utf8').trim();
  }

  /** A request to the gateway with the local key. */
  api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${this.key}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.api(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async start(): Promise<void> {
    this.output = '';
    this.child = spawn(process.execPath, [cli, 'run', '--port', String(this.port), '--data', this.dataDir], {
      env: { ...process.env, LOG_LEVEL: 'info', TRENDMILL_DEFAULT_SOURCES: 'off', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    await waitFor(async () => (await fetch(`${this.base}/readyz`).catch(() => undefined))?.status === 200, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: `trendmill run ready (output: ${this.output})`,
    });
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    return exited;
  }

  async metric(pattern: RegExp): Promise<number> {
    const text = await (await fetch(`${this.base}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => pattern.test(l))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  }
}

interface Stats {
  items: number;
  clusters: { total: number };
}

/** The structured log line the sample import ends with. */
function sampleReport(output: string): Record<string, unknown> {
  const line = output.split('\n').find((l) => l.includes('"sample data imported"'));
  if (!line) throw new Error(`no sample import report in: ${output}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('embedded default (`trendmill run`): every service in one process', function () {
  this.timeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'trendmill-e2e-'));
  const sample = join(dataDir, 'sample.jsonl');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let feedServer: Server;
  let feedUrl: string;
  let app: Embedded;
  let clustersBeforeRestart: string[] = [];

  before(async () => {
    writeFileSync(
      sample,
      [
        {
          externalId: 's1',
          title: 'Aurora lights up the northern sky',
          summary: 'A solar storm brought auroras far south.',
        },
        {
          externalId: 's2',
          title: 'Heat pumps sell out across Europe',
          summary: 'Installers report record demand.',
        },
        {
          externalId: 's3',
          title: 'Coffee prices climb again',
          summary: 'A poor harvest pushed arabica futures up.',
        },
      ]
        .map((o) => JSON.stringify(o))
        .concat(['{ not json'])
        .join('\n'),
    );
    feedServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(
        `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Local</title>
         <entry><id>urn:e2e:1</id><title>Marathon record falls in Valencia</title>
           <link href="https://example.com/run/1"/><updated>2026-11-22T08:00:00Z</updated>
           <summary>The course record was broken by forty seconds.</summary></entry>
         <entry><id>urn:e2e:2</id><title>City adds forty kilometres of bike lanes</title>
           <link href="https://example.com/bike/2"/><updated>2026-11-22T09:00:00Z</updated>
           <summary>The council approved the plan after a long debate.</summary></entry></feed>`,
      );
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.atom`;
    app = new Embedded(port, join(dataDir, 'data'), {
      TRENDMILL_SAMPLE_DATA: sample,
      TRENDMILL_FETCH_ALLOWLIST: '127.0.0.0/8',
      // The embedded clusterer reads its tunables as the distributed one does: discovery every
      // 5 s instead of every minute, so topics appear without a minute's wait.
      CLUSTERER_DISCOVERY_INTERVAL_MS: '5000',
    });
    await app.start();
  });

  after(async () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    await new Promise((resolve) => feedServer.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the status page and imports the sample file through collector and normalizer', async () => {
    expect(app.output).to.contain(`API key    ${app.key}`);
    const page = await fetch(`${app.base}/status`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('collector');
    await waitFor(
      async () => (await app.metric(/^trendmill_collector_items_collected_total\{source_type="jsonl"/)) === 3,
      {
        what: 'three sample items collected',
      },
    );
    await waitFor(
      async () =>
        (await app.metric(/^trendmill_messages_consumed_total\{.*group="normalizer".*outcome="ack"/)) === 3,
      { what: 'the normalizer consumed them' },
    );
    expect(sampleReport(app.output)).to.include({ accepted: 3, duplicates: 0, rejected: 1 });
  });

  it('embeds what was normalized with the local model, and embeds queries over /embedder/embed', async () => {
    await waitFor(
      async () =>
        (await app.metric(/^trendmill_messages_consumed_total\{.*group="embedder".*outcome="ack"/)) === 3,
      { what: 'the embedder consumed the three normalized items' },
    );
    expect(await app.metric(/^trendmill_embedder_items_total\{outcome="embedded"/)).to.equal(3);
    const info = (await (await fetch(`${app.base}/embedder/info`)).json()) as { model: string; dim: number };
    expect(info.model).to.match(/^trendmill-local-v\d+/);
    const res = await fetch(`${app.base}/embedder/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['coffee harvest', 'arabica prices'] }),
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { model: string; dim: number; vectors: number[][] };
    expect(body.model).to.equal(info.model);
    expect(body.vectors).to.have.length(2);
    expect(body.vectors[0]).to.have.length(info.dim);
    const norm = Math.hypot(...body.vectors[0]!);
    expect(norm).to.be.closeTo(1, 1e-4);
  });

  it('takes pushed items and polls a feed source added through the API', async () => {
    const anonymous = await fetch(`${app.base}/api/v1/ingest?source=e2e`, { method: 'POST', body: '{}' });
    expect(anonymous.status).to.equal(401);
    const pushed = await app.api('/api/v1/ingest?source=e2e', {
      method: 'POST',
      body: JSON.stringify({
        title: 'Sodium-ion cells reach new density',
        content: 'A lab reported 200 Wh/kg.',
      }),
    });
    expect(pushed.status).to.equal(202);
    const created = await app.api('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ type: 'feed', url: feedUrl, intervalSeconds: 600 }),
    });
    expect(created.status).to.equal(201);
    const source = (await created.json()) as { id: string };
    await waitFor(
      async () => (await app.metric(/^trendmill_collector_items_collected_total\{source_type="feed"/)) === 2,
      {
        what: 'the scheduler polled the new feed',
      },
    );
    const health = await app.json<Record<string, unknown>>(`/api/v1/sources/${source.id}/health`);
    expect(health).to.include({ successes: 1, failures: 0, healthy: true, itemsLast24h: 2 });
    const bad = await app.api('/api/v1/ingest', {
      method: 'POST',
      body: '{"title": ',
    });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('invalid_json');
  });

  it('clusters a corpus pushed through the gateway into topics that are queryable', async () => {
    const posts = readFileSync(join(repo, 'deploy/sample-data/posts.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const res = await app.api('/api/v1/ingest/batch', {
      method: 'POST',
      body: JSON.stringify({ source: 'week', items: posts }),
    });
    expect(res.status).to.be.oneOf([200, 202, 207]);
    // 160 posts, four of them re-posts of an earlier URL: 156 distinct items, plus the 4 from before.
    // A busy 2-core machine can drop a poll's connection; a failed poll only means "not yet".
    const stats = () => app.json<Stats>('/api/v1/stats').catch(() => ({ items: 0, clusters: { total: 0 } }));
    await waitFor(async () => (await stats()).items >= 160, {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      what: 'the week of posts queryable',
    });
    await waitFor(async () => (await stats()).clusters.total >= 3, {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      what: 'topics discovered',
    });
    const clusters = await app.json<{ items: Array<{ id: string; label: string; size: number }> }>(
      '/api/v1/clusters?sort=size&limit=10',
    );
    expect(clusters.items.length).to.be.greaterThanOrEqual(3);
    expect(clusters.items[0]!.label).to.be.a('string').and.not.equal('');
    const found = await app.json<{ hits: unknown[] }>('/api/v1/search?q=lunar%20lander&mode=hybrid');
    expect(found.hits.length).to.be.greaterThan(0);
    clustersBeforeRestart = clusters.items.map((c) => c.id).sort();
  });

  it('stops on SIGTERM and, restarted on the same data, collects nothing twice and keeps its topics', async () => {
    const before = await app.json<Stats>('/api/v1/stats');
    expect(await app.stop()).to.equal(0);
    await app.start();
    await waitFor(() => /sample data imported/.test(app.output), { what: 'the sample import on restart' });
    expect(sampleReport(app.output)).to.include({ accepted: 0, duplicates: 3, rejected: 1 });
    const after = await app.json<Stats>('/api/v1/stats');
    expect(after.items).to.equal(before.items);
    const clusters = await app.json<{ items: Array<{ id: string }> }>('/api/v1/clusters?sort=size&limit=10');
    expect(clusters.items.map((c) => c.id).sort()).to.deep.equal(clustersBeforeRestart);
    const sources = await app.json<{ total: number }>('/api/v1/sources?type=feed');
    expect(sources.total).to.equal(1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await app.metric(/^trendmill_collector_items_collected_total/)).to.equal(0);
    expect(await app.stop()).to.equal(0);
  });
});
