import { expect } from 'chai';
import { createPostgresTestDatabase, sleep, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { clusterCreated, migrateGateway, startReceiver, startReplica, toMessage } from './harness.js';

describe('webhook dispatchers on several replicas share the work (PostgreSQL)', function () {
  this.timeout(30_000);
  let db: TestDatabase;

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwdisp' });
    await migrateGateway(db);
  });
  after(async () => {
    await db?.cleanup();
  });

  it('delivers each event once to each subscription, whichever replica claims it', async () => {
    const bus = `gateway-dispatch-${Date.now()}`;
    const replicas = await Promise.all([1, 2, 3].map(() => startReplica(db, { bus })));
    const hooks = await Promise.all([startReceiver(), startReceiver()]);
    try {
      for (const hook of hooks) {
        const res = await fetch(`${replicas[0]!.baseUrl}/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: hook.url, types: ['cluster.created'] }),
        });
        expect(res.status).to.equal(201);
      }
      const events = Array.from({ length: 60 }, (_, i) => clusterCreated(`shared ${i}`));
      await replicas[0]!.broker.publish(events.map(toMessage));
      await waitFor(() => hooks.every((h) => h.received.length >= 60), {
        timeoutMs: 20_000,
        what: '60 POSTs each',
      });
      await sleep(300);
      for (const hook of hooks) {
        const ids = hook.received.map((r) => r.headers['trendmill-event-id']);
        expect(ids).to.have.length(60);
        expect(new Set(ids)).to.deep.equal(new Set(events.map((e) => e.id)));
      }
    } finally {
      for (const hook of hooks) await hook.close();
      for (const replica of replicas) await replica.stop();
    }
  });

  it('loses nothing across a restart: pending deliveries resume from their rows', async () => {
    const bus = `gateway-restart-${Date.now()}`;
    let up = false;
    const hook = await startReceiver(() => (up ? 200 : 503));
    const first = await startReplica(db, { bus, dispatcher: { maxAttempts: 50, disableAfterFailures: 50 } });
    const res = await fetch(`${first.baseUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: hook.url, types: ['cluster.created'] }),
    });
    const { id } = (await res.json()) as { id: string };
    const event = clusterCreated('survives restarts');
    await first.broker.publish(toMessage(event));
    await waitFor(() => hook.received.length >= 1, { what: 'a first failed attempt' });
    await first.stop();

    up = true;
    const second = await startReplica(db, { bus });
    try {
      await waitFor(
        () => hook.received.some((r, i) => i > 0 && r.headers['trendmill-event-id'] === event.id),
        {
          what: 'the retry from the restarted replica',
        },
      );
      await waitFor(async () => {
        const list = await fetch(`${second.baseUrl}/subscriptions/${id}/deliveries?status=delivered`);
        return ((await list.json()) as { deliveries: unknown[] }).deliveries.length === 1;
      });
    } finally {
      await second.stop();
      await hook.close();
    }
  });
});
