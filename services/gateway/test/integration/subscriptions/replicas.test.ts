import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { RabbitMqBroker } from '@trendmill/platform';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import {
  clusterCreated,
  deleteRabbitQueues,
  migrateGateway,
  openSse,
  sampleEvent,
  startReplica,
  toMessage,
  type GatewayReplica,
} from './harness.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

describe('gateway event log replicas on one RabbitMQ queue (PostgreSQL)', function () {
  this.timeout(60_000);
  const prefix = `trendmill-gwtest-${randomUUID().slice(0, 8)}`;
  let db: TestDatabase;
  const brokers: RabbitMqBroker[] = [];
  let a: GatewayReplica;
  let b: GatewayReplica;

  const rabbit = async (name: string) => {
    const broker = await RabbitMqBroker.connect({
      url: RABBITMQ_URL,
      prefix,
      connectionName: `gateway-test-${name}`,
    });
    brokers.push(broker);
    return broker;
  };

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwrepl' });
    await migrateGateway(db);
    // Polling slower than the test needs: delivery to the other replica comes from LISTEN/NOTIFY.
    a = await startReplica(db, {
      broker: await rabbit('a'),
      dispatcher: false,
      eventLog: { pollIntervalMs: 60_000 },
    });
    b = await startReplica(db, {
      broker: await rabbit('b'),
      dispatcher: false,
      eventLog: { pollIntervalMs: 60_000 },
    });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    for (const broker of brokers) await broker.close();
    await db?.cleanup();
    await deleteRabbitQueues(prefix).catch(() => undefined);
  });

  it('an SSE client on replica A sees every event, including those replica B consumed', async () => {
    const onA = await openSse(`${a.baseUrl}/stream?types=cluster.created`);
    const onB = await openSse(`${b.baseUrl}/stream?types=cluster.created`);
    try {
      const publisher = await rabbit('publisher');
      const events = Array.from({ length: 40 }, (_, i) => clusterCreated(`topic ${i}`));
      for (const event of events)
        await publisher.publish([toMessage(event), toMessage(sampleEvent(EVENT_TYPES.itemClustered))]);
      await waitFor(
        () =>
          onA.messages.length === 40 &&
          onB.messages.length === 40 &&
          a.eventLog.appendedHere + b.eventLog.appendedHere === 80,
        {
          timeoutMs: 30_000,
          what: `40 events on both streams (A has ${onA.messages.length}, B has ${onB.messages.length})`,
        },
      );
      expect(a.eventLog.appendedHere + b.eventLog.appendedHere).to.equal(80);
      expect(b.eventLog.appendedHere, 'replica B consumed some events').to.be.greaterThan(0);
      expect(a.eventLog.appendedHere, 'replica A consumed some events').to.be.greaterThan(0);
      const ids = (messages: typeof onA.messages) =>
        messages.map((m) => (JSON.parse(m.data) as { id: string }).id).sort();
      expect(ids(onA.messages)).to.deep.equal(events.map((e) => e.id).sort());
      expect(ids(onB.messages)).to.deep.equal(ids(onA.messages));
      // Both replicas number events the same way: one shared, gap-free-in-commit-order sequence.
      expect(onA.messages.map((m) => m.id)).to.deep.equal(onB.messages.map((m) => m.id));
    } finally {
      await onA.close();
      await onB.close();
    }
  });
});
