import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { PermanentFailure, type EventMessage } from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  decodeVector,
  encodeVector,
  serializeEvent,
  type EventDataMap,
  type ItemEmbedded,
} from '@trendmill/shared-contracts';
import { projectionHandlers } from '../../src/projection/handlers.js';
import { projectBatch, type ProjectionEntry } from '../../src/projection/project-batch.js';
import { CORPUS } from '../fixtures/corpus.js';
import { QueryHarness, clustered, created, readModelSnapshot, updated } from './harness.js';

type Projected = ProjectionEntry['type'];

function entry<T extends Exclude<Projected, typeof EVENT_TYPES.itemEmbedded>>(
  type: T,
  data: EventDataMap[T],
  id: string = randomUUID(),
): ProjectionEntry {
  return { id, type, data } as ProjectionEntry;
}

function embeddedEntry(data: ItemEmbedded, id: string = randomUUID()): ProjectionEntry {
  return { id, type: EVENT_TYPES.itemEmbedded, data, vector: decodeVector(data.vector, data.dim) };
}

/** A delivery as the consumer middleware hands it on: validated, its event attached. */
function delivery<T extends Projected>(type: T, data: EventDataMap[T]): EventMessage<unknown> {
  const event = createEvent(type, data, { source: '/test', subject: 'test' });
  return {
    id: event.id,
    type,
    key: 'test',
    headers: {},
    body: serializeEvent(event),
    attempt: 1,
    group: 'query',
    event,
  };
}

/** The read model, plus how many events the inbox recorded. */
async function snapshot(h: QueryHarness) {
  return {
    ...(await readModelSnapshot(h)),
    processed: (await h.rows('processed_events', 'event_id')).length,
  };
}

describe('query projection in batches (PostgreSQL)', function () {
  this.timeout(60_000);
  let h: QueryHarness;
  beforeEach(async () => {
    h = await QueryHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });
  const deps = () => ({ db: h.db, vectors: h.vectors });

  it('commits a batch of every event type in one call, and the same batch redelivered changes nothing', async () => {
    const rust = CORPUS.filter((i) => i.id.startsWith('rust'));
    const embedded = await h.embedItems(rust);
    const batch: ProjectionEntry[] = [
      ...embedded.map((data) => embeddedEntry(data)),
      entry(EVENT_TYPES.clusterCreated, created({ clusterId: 'c-rust', memberItemIds: ['rust-1'], size: 1 })),
      entry(EVENT_TYPES.itemClustered, clustered({ itemId: 'rust-2', clusterId: 'c-rust', similarity: 0.8 })),
      entry(
        EVENT_TYPES.clusterUpdated,
        updated({ clusterId: 'c-rust', version: 2, size: 3, addedItemIds: ['rust-3'] }),
      ),
      entry(EVENT_TYPES.itemDuplicateDetected, {
        itemId: 'rust-1-repost',
        originalItemId: 'rust-1',
        method: 'near-duplicate',
        similarity: 0.9,
        sourceId: 'blog',
        detectedAt: '2026-03-01T10:30:00.000Z',
      }),
    ];

    const first = await projectBatch(deps(), batch);
    expect(first.map((r) => r.status === 'fulfilled' && r.value)).to.deep.equal(batch.map(() => 'applied'));
    const after = await snapshot(h);
    expect(after.processed).to.equal(batch.length);
    expect(after.items.map((i) => [i.id, i.cluster_id])).to.deep.equal([
      ['rust-1', 'c-rust'],
      ['rust-2', 'c-rust'],
      ['rust-3', 'c-rust'],
    ]);
    expect(after.clusters).to.have.length(1);
    expect(after.clusters[0]).to.include({ version: 2, size: 3 });
    expect(after.buckets.reduce((n, b) => n + (b.count as number), 0)).to.equal(3);
    expect(after.duplicates).to.have.length(1);
    expect((await h.vectors.listCollections())[0]?.count).to.equal(rust.length);

    const again = await projectBatch(deps(), batch);
    expect(again.map((r) => r.status === 'fulfilled' && r.value)).to.deep.equal(
      batch.map(() => 'already-processed'),
    );
    expect(await snapshot(h)).to.deep.equal(after);
  });

  it('leaves the newest state of several cluster.updated of one cluster in a batch, every item they add, and counts only versions the batch lacks as gaps', async () => {
    await projectBatch(
      deps(),
      (await h.embedItems(CORPUS.filter((i) => i.id.startsWith('rust')))).map((d) => embeddedEntry(d)),
    );
    const first = [
      entry(EVENT_TYPES.clusterCreated, created({ clusterId: 'c-rust', memberItemIds: ['rust-1'] })),
      entry(
        EVENT_TYPES.clusterUpdated,
        updated({ clusterId: 'c-rust', version: 2, size: 2, addedItemIds: ['rust-2'] }),
      ),
      entry(
        EVENT_TYPES.clusterUpdated,
        updated({ clusterId: 'c-rust', version: 3, size: 3, addedItemIds: ['rust-3'] }),
      ),
    ];
    await projectBatch(deps(), first);
    let model = await snapshot(h);
    expect(model.clusters[0]).to.include({
      version: 3,
      size: 3,
      label: 'label of c-rust v3',
      version_gaps: 0,
    });
    expect(model.items.map((i) => [i.id, i.cluster_id])).to.deep.equal([
      ['rust-1', 'c-rust'],
      ['rust-2', 'c-rust'],
      ['rust-3', 'c-rust'],
    ]);
    expect(model.buckets.reduce((n, b) => n + (b.count as number), 0)).to.equal(3);
    // Its newest member (rust-3, published 12:15), read once all three memberships were written.
    expect((model.clusters[0]!.last_item_at as Date).toISOString()).to.equal('2026-03-01T12:15:00.000Z');

    // v5 and v6 together, v4 never seen: one gap, the newest state.
    const gaps: number[] = [];
    await projectBatch({ ...deps(), onVersionGap: (_id, version) => gaps.push(version) }, [
      entry(EVENT_TYPES.clusterUpdated, updated({ clusterId: 'c-rust', version: 6, size: 6, label: 'six' })),
      entry(EVENT_TYPES.clusterUpdated, updated({ clusterId: 'c-rust', version: 5, size: 5, label: 'five' })),
    ]);
    model = await snapshot(h);
    expect(model.clusters[0]).to.include({ version: 6, size: 6, label: 'six', version_gaps: 1 });
    expect(gaps).to.deep.equal([6]);
  });

  it('applies an event id twice in one batch once', async () => {
    const [data] = await h.embedItems(CORPUS.slice(0, 1));
    const id = randomUUID();
    const results = await projectBatch(deps(), [embeddedEntry(data!, id), embeddedEntry(data!, id)]);
    expect(results.map((r) => r.status === 'fulfilled' && r.value)).to.deep.equal([
      'applied',
      'already-processed',
    ]);
    expect((await snapshot(h)).processed).to.equal(1);
  });

  for (const order of ['in one batch', 'in separate batches'] as const) {
    it(`gives an item the cluster of an item.clustered that came before its item.embedded (${order})`, async () => {
      const [data] = await h.embedItems(CORPUS.filter((i) => i.id === 'rust-2'));
      const membership = entry(
        EVENT_TYPES.itemClustered,
        clustered({ itemId: 'rust-2', clusterId: 'c-a', clusteredAt: '2026-03-01T12:00:00.000Z' }),
      );
      const cluster = entry(EVENT_TYPES.clusterCreated, created({ clusterId: 'c-a' }));
      const item = embeddedEntry(data!);
      if (order === 'in one batch') await projectBatch(deps(), [membership, cluster, item]);
      else for (const e of [membership, cluster, item]) await projectBatch(deps(), [e]);

      expect((await h.api.getItem('rust-2')).clusterId).to.equal('c-a');
      const detail = await h.api.getCluster('c-a', { hours: 5 });
      expect(detail.timeSeries.reduce((n, b) => n + b.count, 0)).to.equal(1);
    });
  }

  it('keeps the latest of several assignments of one item in a batch, whatever their order', async () => {
    await h.addItems(CORPUS.filter((i) => i.id === 'rust-1'));
    await projectBatch(deps(), [
      entry(
        EVENT_TYPES.itemClustered,
        clustered({ itemId: 'rust-1', clusterId: 'c-late', clusteredAt: '2026-03-01T12:10:00.000Z' }),
      ),
      entry(
        EVENT_TYPES.itemClustered,
        clustered({ itemId: 'rust-1', clusterId: 'c-early', clusteredAt: '2026-03-01T12:05:00.000Z' }),
      ),
    ]);
    expect((await h.api.getItem('rust-1')).clusterId).to.equal('c-late');
    expect((await h.rows('cluster_buckets')).map((b) => [b.cluster_id, b.count])).to.deep.equal([
      ['c-late', 1],
    ]);
  });

  it('runs a failed batch one event at a time, so only the poison event fails', async () => {
    const failedBatches: number[] = [];
    const handlers = projectionHandlers({
      ...deps(),
      batch: { maxBatch: 64, maxWaitMs: 20 },
      onBatchFailed: (_error, size) => failedBatches.push(size),
    });
    const embedded = await h.embedItems(CORPUS.slice(0, 4));
    // PostgreSQL refuses NUL in text: the batch's transaction fails, not the event's validation.
    const poison = { ...embedded[3]!, text: 'broken \u0000 text' };
    const outcomes = await Promise.allSettled(
      [...embedded.slice(0, 3), poison].map((data) =>
        handlers.itemEmbedded(delivery(EVENT_TYPES.itemEmbedded, data)),
      ),
    );
    expect(failedBatches).to.deep.equal([4]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((await h.rows('items', 'id')).map((i) => i.id)).to.have.members(
      embedded.slice(0, 3).map((e) => e.itemId),
    );
  });

  it('dead-letters the poison event of a batch alone, with its reason, and projects the rest', async () => {
    const embedded = await h.embedItems(CORPUS);
    const poison = { ...embedded[2]!, text: 'broken \u0000 text' };
    const wrongDim = { ...embedded[4]!, dim: 3, vector: encodeVector([1, 0, 0]) };
    const messages = embedded.map((data, i) => (i === 2 ? poison : i === 4 ? wrongDim : data));
    await Promise.all(messages.map((data) => h.publish(EVENT_TYPES.itemEmbedded, data)));
    await h.settle();

    const letters = await h.broker.deadLetters.list({ group: 'query' });
    expect(letters.map((l) => JSON.parse(l.body.toString()).data.itemId)).to.have.members([
      poison.itemId,
      wrongDim.itemId,
    ]);
    const reasons = Object.fromEntries(
      letters.map((l) => [JSON.parse(l.body.toString()).data.itemId as string, l.reason]),
    );
    expect(reasons[poison.itemId]).to.match(/0x00|invalid byte sequence/);
    expect(reasons[wrongDim.itemId]).to.match(/dimension/);
    expect((await h.api.stats()).items).to.equal(CORPUS.length - 2);
  });

  it('rejects a vector its collection refuses alone, while the rest of the batch commits', async () => {
    const embedded = await h.embedItems(CORPUS.slice(0, 4));
    await projectBatch(deps(), [embeddedEntry(embedded[0]!)]); // the collection exists with its dimension
    const wrongDim = { ...embedded[1]!, dim: 3, vector: encodeVector([1, 0, 0]) };
    // Same collection as the good ones: their shared upsert call fails and is split up.
    const zero = { ...embedded[2]!, vector: encodeVector(new Array<number>(embedded[2]!.dim).fill(0)) };
    const results = await projectBatch(deps(), [
      embeddedEntry(wrongDim),
      embeddedEntry(zero),
      embeddedEntry(embedded[3]!),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected', 'fulfilled']);
    for (const r of results.slice(0, 2))
      expect((r as PromiseRejectedResult).reason).to.be.instanceOf(PermanentFailure);
    expect((await snapshot(h)).processed).to.equal(2);
    expect((await h.vectors.listCollections())[0]?.count).to.equal(2);
  });
});
