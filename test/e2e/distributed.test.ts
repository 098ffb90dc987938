import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@trendmill/platform/testing';
import { Topology, type ServiceName } from '../support/topology.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

interface Stats {
  items: number;
  duplicates: number;
  clusters: { total: number };
}

/** The synthetic week: 160 posts on nine topics, four of them re-posts of an earlier URL. */
function weekOfPosts(): Array<Record<string, unknown>> {
  return readFileSync(join(repo, 'deploy/sample-data/posts.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function api<T>(topology: Topology, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${topology.gateway}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${topology.apiKey}`, 'content-type': 'application/json' },
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Messages a replica acknowledged, from its own /metrics. */
async function acked(topology: Topology, service: ServiceName, replica: number): Promise<number> {
  const text = await (await fetch(`${topology.url(service, replica)}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('trendmill_messages_consumed_total{') && l.includes('outcome="ack"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

for (const replicas of [1, 2]) {
  describe(`distributed topology: one OS process per service on RabbitMQ, PostgreSQL and Redis (${replicas} normalizer and embedder replica${replicas > 1 ? 's' : ''})`, function () {
    this.timeout(360_000);
    let topology: Topology | undefined;

    before(async () => {
      topology = await Topology.start({
        replicas: { normalizer: replicas, embedder: replicas },
        env: { clusterer: { CLUSTERER_DISCOVERY_INTERVAL_MS: '3000' } },
      });
    });

    after(async () => {
      await topology?.stop();
    });

    it('takes a corpus through the gateway and serves its topics back, every item exactly once', async () => {
      const t = topology!;
      const posts = weekOfPosts();
      const pushed = await api<{ results?: unknown[] }>(t, '/api/v1/ingest/batch', {
        method: 'POST',
        body: JSON.stringify({ source: 'week', items: posts }),
      });
      expect(pushed).to.be.an('object');
      // Every accepted post ends either as a queryable item or as a detected duplicate.
      await waitFor(
        async () => {
          const stats = await api<Stats>(t, '/api/v1/stats').catch(() => undefined);
          return stats !== undefined && stats.items + stats.duplicates >= posts.length;
        },
        { timeoutMs: 240_000, intervalMs: 1_000, what: 'every post queryable or flagged as a duplicate' },
      );
      await waitFor(
        async () => ((await api<Stats>(t, '/api/v1/stats').catch(() => undefined))?.clusters.total ?? 0) >= 3,
        {
          timeoutMs: 120_000,
          intervalMs: 1_000,
          what: 'topics discovered',
        },
      );
      const stats = await api<Stats>(t, '/api/v1/stats');
      expect(stats.items + stats.duplicates).to.equal(posts.length);
      expect(stats.duplicates).to.be.at.least(4); // the four re-posts

      const clusters = await api<{ items: Array<{ id: string; label: string; size: number }> }>(
        t,
        '/api/v1/clusters?sort=size&limit=20',
      );
      expect(clusters.items.length).to.be.at.least(3);
      const detail = await api<{ id: string; keywords: unknown[] }>(
        t,
        `/api/v1/clusters/${clusters.items[0]!.id}`,
      );
      expect(detail.keywords.length).to.be.greaterThan(0);
      const search = await api<{ hits: unknown[] }>(t, '/api/v1/search?q=transit%20strike&mode=fulltext');
      expect(search.hits.length).to.be.greaterThan(0);

      if (replicas > 1) {
        // Competing consumers: both replicas of each scaled service took a share of its queue.
        for (const service of ['normalizer', 'embedder'] as const) {
          const shares = await Promise.all([0, 1].map((r) => acked(t, service, r)));
          expect(
            shares.every((n) => n > 0),
            `${service} shares ${shares.join('/')}`,
          ).to.equal(true);
        }
      }
    });
  });
}
