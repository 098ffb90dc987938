import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { EngineError, type ClusterEngine, type EngineItem } from '../../src/domain/index.js';
import type { EngineFactory } from '../../src/engine-registry.js';
import { fakeEngineFactory } from './fake-engine.js';
import { ClustererHarness, axis, embeddedMessage, eventId, vectorNear, type TestItem } from './harness.js';

const DIM = 16;
const items = (name: string, dir: number, n: number): TestItem[] =>
  Array.from({ length: n }, (_, i) => ({
    itemId: `${name}-${i}`,
    title: `${name} story ${i}`,
    vector: vectorNear(axis(DIM, dir), dir * 1000 + i),
  }));

/**
 * The fake engine, counting how often it is built, with hooks into `addMany` (what the service
 * calls): `refuse` makes it refuse a batch holding that item the way the real engine does
 * (EngineError before any change); `corrupt` makes it report a membership in a cluster that does
 * not exist, which the database refuses at commit.
 */
function instrumentedFactory(hooks: { refuse?: string; corrupt?: string }) {
  const built = { count: 0 };
  const factory: EngineFactory = {
    defaults: fakeEngineFactory.defaults,
    create: (settings, options) => {
      built.count++;
      const engine = fakeEngineFactory.create(settings, options);
      const addMany = (batch: readonly EngineItem[], now: number) => {
        const refused = batch.find((item) => item.itemId === hooks.refuse);
        if (refused) throw new EngineError('invalid_item', `item ${refused.itemId} is refused`);
        const result = engine.addMany(batch, now);
        if (!batch.some((item) => item.itemId === hooks.corrupt)) return result;
        return {
          ...result,
          changes: [
            ...result.changes,
            {
              kind: 'item-clustered' as const,
              itemId: hooks.corrupt!,
              clusterId: 'no-such-cluster',
              method: 'assigned' as const,
            },
          ],
        };
      };
      return new Proxy(engine, {
        get: (target, prop) => {
          if (prop === 'addMany') return addMany;
          const value: unknown = Reflect.get(target, prop);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) satisfies ClusterEngine;
    },
  };
  return { factory, built };
}

describe('clusterer batches on PostgreSQL: one transaction per batch, failures stay per item', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let h: ClustererHarness;

  beforeEach(async () => {
    db = await createPostgresTestDatabase({ prefix: 'clusbatch' });
    h = new ClustererHarness(db);
    await h.recordOutputs();
  });
  afterEach(async () => {
    await h.close();
    await db.close();
  });

  const storedItemIds = async () =>
    (
      await db.sql.query<{ item_id: string }>(`SELECT item_id FROM "${db.schema}".items ORDER BY item_id`)
    ).map((r) => r.item_id);
  const processedCount = async () =>
    (await db.sql.query(`SELECT 1 FROM "${db.schema}".processed_events`)).length;

  it('an item the engine refuses in a batch is dead-lettered alone; the others commit once and the engine holds exactly what committed', async () => {
    const { factory, built } = instrumentedFactory({ refuse: 'rates-5' });
    const service = await h.startService({
      engineFactory: factory,
      batch: { maxBatch: 10, maxWaitMs: 200 },
    });
    const broker = await h.broker();
    const batch = items('rates', 1, 10);
    await broker.publish(batch.map((i) => embeddedMessage(i)));

    await waitFor(async () => (await broker.deadLetters.depth('clusterer')) === 1, {
      what: 'the refused item',
    });
    const [dead] = await broker.deadLetters.list({ group: 'clusterer' });
    expect(dead?.key).to.equal('rates-5');
    expect(dead?.reason).to.match(/item rates-5 is refused/);
    await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 9, { what: 'the other nine' });
    const others = batch.map((i) => i.itemId).filter((id) => id !== 'rates-5');
    expect(await storedItemIds()).to.deep.equal([...others].sort());
    expect(await processedCount()).to.equal(9);
    // The whole batch of ten was tried first; the engine refused it before changing anything,
    // so it was kept (not rebuilt) while the items ran one by one.
    expect(built.count).to.equal(1);

    // The engine holds exactly what committed: the nine form one cluster, rates-5 is unknown.
    const [report] = await service.discoverNow();
    const created = report!.changes.filter((c) => c.kind === 'cluster-created');
    expect(created.map((c) => c.memberItemIds.length)).to.deep.equal([9]);
    await broker.publish(embeddedMessage({ ...batch[5]!, itemId: 'rates-5b' }, eventId('rates-5b')));
    await waitFor(() => h.of(EVENT_TYPES.itemClustered).some((e) => e.subject === 'rates-5b'), {
      what: 'a later item',
    });
  });

  it('one batch holding a redelivery and the same item under another event id clusters each item once', async () => {
    await h.startService({ engineFactory: fakeEngineFactory, batch: { maxBatch: 5, maxWaitMs: 200 } });
    const broker = await h.broker();
    const [a, b, c] = items('quake', 3, 3);
    await broker.publish([
      embeddedMessage(a!),
      embeddedMessage(b!),
      embeddedMessage(a!),
      embeddedMessage(c!),
      embeddedMessage(b!, eventId('b under another id')),
    ]);
    await waitFor(async () => (await processedCount()) === 4, { what: 'four distinct event ids recorded' });
    await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 3, { what: 'three items' });
    expect(await storedItemIds()).to.deep.equal(['quake-0', 'quake-1', 'quake-2']);
    expect(
      h
        .of(EVENT_TYPES.itemClustered)
        .map((e) => e.subject)
        .sort(),
    ).to.deep.equal(['quake-0', 'quake-1', 'quake-2']);
    expect(await broker.deadLetters.depth('clusterer')).to.equal(0);
  });

  it('a batch whose transaction fails: the others commit one by one, the failing item retries then dead-letters', async () => {
    const { factory, built } = instrumentedFactory({ corrupt: 'storm-2' });
    await h.startService({ engineFactory: factory, batch: { maxBatch: 6, maxWaitMs: 200 } });
    const broker = await h.broker();
    const batch = items('storm', 2, 6);
    await broker.publish(batch.map((i) => embeddedMessage(i)));

    await waitFor(async () => (await broker.deadLetters.depth('clusterer')) === 1, {
      what: 'the failing item',
    });
    const [dead] = await broker.deadLetters.list({ group: 'clusterer' });
    expect(dead?.key).to.equal('storm-2');
    expect(dead?.attempts).to.equal(2);
    await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 5, { what: 'the other five' });
    expect(
      h
        .of(EVENT_TYPES.itemClustered)
        .map((e) => e.subject)
        .sort(),
    ).to.deep.equal(['storm-0', 'storm-1', 'storm-3', 'storm-4', 'storm-5']);
    expect(await storedItemIds()).to.not.include('storm-2');
    expect(await processedCount()).to.equal(5);
    // A failed transaction drops the engine: the batch's (rebuilt for the one-by-one run) and
    // storm-2's first lone attempt (rebuilt for the items after it); its retry dropped it again.
    expect(built.count).to.equal(3);
  });
});
