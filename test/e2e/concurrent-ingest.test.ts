import { expect } from 'chai';
import { waitFor } from '@trendmill/platform/testing';
import { Topology } from '../support/topology.js';

/**
 * 100 clients push at the same moment through the gateway of the multi-process RabbitMQ topology
 * (the embedded default runs its whole pipeline on the gateway's event loop, so this is where
 * concurrency is real): each sends single items and a batch. Every request must succeed, and every
 * accepted item must be queryable exactly once (no loss, no double projection).
 */
const CLIENTS = 100;
const SINGLES = 2;
const BATCH = 4;
const VOCABULARY = (
  'river copper signal lantern harbor meadow quartz violin glacier orchard falcon ember canyon ' +
  'saffron tunnel beacon cobalt prairie walnut thunder velvet island compass marble pepper ' +
  'rocket silver timber anchor basalt cedar dragon fossil garnet hollow jasmine kettle lagoon ' +
  'magnet nectar oyster pebble quiver raven sierra tundra umber vapor willow zephyr'
).split(' ');

/** A text unique to (client, index): random words are near-duplicates of nothing else sent. */
function item(client: number, index: number) {
  const words = Array.from({ length: 12 }, () => VOCABULARY[Math.floor(Math.random() * VOCABULARY.length)]);
  return {
    externalId: `client-${client}-item-${index}`,
    title: `Dispatch ${client}-${index}: ${words.join(' ')}`,
    language: 'en',
  };
}

describe('100 concurrent ingest clients (RabbitMQ topology)', function () {
  this.timeout(180_000);
  let topology: Topology;

  before(async () => {
    topology = await Topology.start({ env: { gateway: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' } } });
  });

  after(async () => {
    await topology?.stop();
  });

  async function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${topology.gateway}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${topology.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** Reads retry a 503 (the query service timing out on a busy 2-core host is not what this test is about). */
  async function get<T>(path: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${topology.gateway}${path}`, {
        headers: { authorization: `Bearer ${topology.apiKey}` },
      });
      if (res.status === 503 && attempt < 5) {
        await new Promise((r) => setTimeout(r, 1_000 * attempt));
        continue;
      }
      expect(res.status, path).to.equal(200);
      return (await res.json()) as T;
    }
  }

  it('answers every push and batch with 2xx and makes each accepted item queryable exactly once', async () => {
    const failures: string[] = [];
    const accepted = new Set<string>();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const batch = await post('/api/v1/ingest/batch', {
          source: `client-${c}`,
          items: Array.from({ length: BATCH }, (_, i) => item(c, SINGLES + i)),
        });
        if (batch.status !== 202)
          failures.push(`client ${c} batch: ${batch.status} ${JSON.stringify(batch.body)}`);
        for (const r of (batch.body.results ?? []) as Array<{ status: string; itemId?: string }>)
          if (r.status === 'accepted' && r.itemId) accepted.add(r.itemId);
          else failures.push(`client ${c} batch item: ${JSON.stringify(r)}`);
        for (let i = 0; i < SINGLES; i++) {
          const one = await post(`/api/v1/ingest?source=client-${c}`, item(c, i));
          if (one.status !== 202)
            failures.push(`client ${c} push ${i}: ${one.status} ${JSON.stringify(one.body)}`);
          else accepted.add(String(one.body.itemId));
        }
      }),
    );
    expect(failures).to.deep.equal([]);
    expect(accepted.size).to.equal(CLIENTS * (SINGLES + BATCH));

    await waitFor(
      async () =>
        (await get<{ items: number }>('/api/v1/stats').catch(() => ({ items: 0 }))).items >= accepted.size,
      {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        what: `${accepted.size} items queryable`,
      },
    );
    const stats = await get<{ items: number; duplicates: number }>('/api/v1/stats');
    expect(stats).to.include({ items: accepted.size, duplicates: 0 });
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = await get(
        `/api/v1/items?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      listed.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).to.have.length(accepted.size);
    expect(new Set(listed)).to.deep.equal(accepted);
  });
});
