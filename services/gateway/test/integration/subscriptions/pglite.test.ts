import { expect } from 'chai';
import {
  createPgliteTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { EVENT_LOG_GROUP, verifyWebhookSignature } from '../../../src/subscriptions/index.js';
import {
  clusterCreated,
  migrateGateway,
  openSse,
  sampleEvent,
  startReceiver,
  startReplica,
  toMessage,
  type GatewayReplica,
} from './harness.js';

describe('gateway subscriptions on PGlite (the embedded default)', function () {
  this.timeout(120_000); // PGlite starts slowly on a busy machine
  let db: TestDatabase;
  let gateway: GatewayReplica;

  before(async () => {
    db = await createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'gwlite' });
    await migrateGateway(db);
    gateway = await startReplica(db);
  });
  after(async () => {
    await gateway?.stop();
    await db?.cleanup();
  });

  it('streams, resumes with Last-Event-ID and delivers signed webhooks', async () => {
    const hook = await startReceiver();
    try {
      const res = await fetch(`${gateway.baseUrl}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: hook.url, types: ['cluster.created', 'cluster.merged'] }),
      });
      expect(res.status).to.equal(201);
      const { secret } = (await res.json()) as { secret: string };

      const first = await openSse(`${gateway.baseUrl}/stream?types=cluster.created`);
      const early = clusterCreated('embedded one');
      await gateway.broker.publish(toMessage(early));
      await waitFor(() => first.messages.length === 1, { what: 'the first event on the stream' });
      await first.close();

      const missed = [clusterCreated('embedded two'), clusterCreated('embedded three')];
      await gateway.broker.publish([
        ...missed.map(toMessage),
        toMessage(sampleEvent(EVENT_TYPES.itemEmbedded)),
      ]);
      const resumed = await openSse(`${gateway.baseUrl}/stream?types=cluster.created`, {
        'last-event-id': first.messages[0]!.id!,
      });
      try {
        await waitFor(() => resumed.messages.length === 2, { what: 'the two missed events' });
        expect(resumed.messages.map((m) => (JSON.parse(m.data) as { id: string }).id).sort()).to.deep.equal(
          missed.map((e) => e.id).sort(),
        );
      } finally {
        await resumed.close();
      }

      await waitFor(() => hook.received.length === 3, { what: 'three webhook deliveries' });
      for (const request of hook.received) {
        expect(
          verifyWebhookSignature(secret, request.headers['trendmill-signature'] as string, request.body).ok,
        ).to.equal(true);
      }
      expect(await gateway.eventLog.prune()).to.equal(0, 'nothing is past retention yet');
    } finally {
      await hook.close();
    }
  });

  it('takes a burst of events in group commits as large as one append allows, so the log keeps up', async () => {
    // The embedded pipeline publishes several events per item; a log whose consumer held only 32
    // at a time fell ever further behind it (28,700 waiting after 8k items in the scale bench).
    // PGlite answers within the same turn of the event loop, so the count is read at each delivery.
    const burst = Array.from({ length: 1_000 }, () => sampleEvent(EVENT_TYPES.itemEmbedded));
    type Consumer = { inFlight: number; deliver(message: unknown): void };
    const broker = gateway.broker as unknown as { bus: { queues: Map<string, { consumers: Consumer[] }> } };
    const [consumer] = broker.bus.queues.get(EVENT_LOG_GROUP)!.consumers;
    let mostInFlight = 0;
    const deliver = consumer!.deliver.bind(consumer);
    consumer!.deliver = (message) => {
      deliver(message);
      mostInFlight = Math.max(mostInFlight, consumer!.inFlight);
    };
    const before = gateway.eventLog.head;
    await gateway.broker.publish(burst.map(toMessage));
    await waitFor(() => gateway.eventLog.head >= before + burst.length, { what: 'the burst in the log' });
    const logged = await gateway.eventLog.read(before, [], 2 * burst.length);
    expect(logged.map((entry) => entry.id).sort()).to.deep.equal(burst.map((e) => e.id).sort());
    expect(mostInFlight, 'events the consumer held at once').to.be.greaterThan(32);
  });
});
