import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import type { Broker } from '@trendmill/platform';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { fakeEngineFactory } from './fake-engine.js';
import { ClustererHarness, axis, embeddedMessage, vectorNear } from './harness.js';

/** A broker whose publishes fail, as if the process died right after its commit. */
function cutOff(broker: Broker): Broker {
  return Object.assign(Object.create(broker) as Broker, {
    publish: async () => {
      throw new Error('connection lost');
    },
  });
}

describe('clusterer outbox on PostgreSQL', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let h: ClustererHarness;

  beforeEach(async () => {
    db = await createPostgresTestDatabase({ prefix: 'clusterbox' });
    h = new ClustererHarness(db);
    await h.recordOutputs();
  });
  afterEach(async () => {
    await h.close();
    await db.close();
  });

  it('a crash between commit and publish loses nothing: the next instance publishes', async () => {
    const broker = await h.broker();
    const crashing = await h.startService({ engineFactory: fakeEngineFactory }, { broker: cutOff(broker) });
    const items = [0, 1, 2].map((i) => ({
      itemId: `box-${i}`,
      title: `outbox story ${i}`,
      vector: vectorNear(axis(8, 1), i),
    }));
    await broker.publish(items.map((i) => embeddedMessage(i)));
    await waitFor(async () => (await db.sql.query(`SELECT 1 FROM "${db.schema}".items`)).length === 3, {
      what: 'committed',
    });
    await crashing.discoverNow();
    expect(h.emitted).to.deep.equal([]);
    await crashing.stop();
    const pending = await db.sql.query<{ type: string }>(
      `SELECT type FROM "${db.schema}".outbox_events WHERE published_at IS NULL`,
    );
    expect(pending.map((r) => r.type).sort()).to.deep.equal(
      [
        EVENT_TYPES.clusterCreated,
        ...Array(3).fill(EVENT_TYPES.itemClustered),
        ...Array(3).fill(EVENT_TYPES.itemClustered),
      ].sort(),
    );

    await h.startService({ engineFactory: fakeEngineFactory });
    await waitFor(() => h.emitted.length === 7, { what: 'relayed after restart' });
    expect(h.of(EVENT_TYPES.clusterCreated)).to.have.length(1);
    expect(
      h
        .of(EVENT_TYPES.itemClustered)
        .map((e) => e.data.method)
        .sort(),
    ).to.deep.equal(['discovered', 'discovered', 'discovered', 'pooled', 'pooled', 'pooled']);
  });
});
