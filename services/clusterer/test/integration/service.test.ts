import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { createPrismaClient } from '@trendmill/platform';
import { PrismaClient } from '../../src/store/prisma.js';
import { fakeEngineFactory } from './fake-engine.js';
import type { EngineFactory } from '../../src/engine-registry.js';
import { ClustererHarness, axis, embeddedMessage, vectorNear, type TestItem } from './harness.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'clusterer' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'clusterer' })],
];

const DIM = 16;
const topic = (name: string, dir: number, from: number, n: number): TestItem[] =>
  Array.from({ length: n }, (_, i) => ({
    itemId: `${name}-${from + i}`,
    title: `${name} story ${from + i}`,
    vector: vectorNear(axis(DIM, dir), dir * 1000 + from + i),
  }));

/** The fake engine, counting its discovery passes and those over a pool with nothing new in it. */
function countingPasses() {
  const counts = { passes: 0, idlePasses: 0 };
  const factory: EngineFactory = {
    ...fakeEngineFactory,
    create: (settings, options) => {
      const engine = fakeEngineFactory.create(settings, options);
      const discover = engine.discover.bind(engine);
      engine.discover = (now) => {
        counts.passes++;
        if (engine.pooledSinceDiscovery() === 0) counts.idlePasses++;
        return discover(now);
      };
      return engine;
    },
  };
  return Object.assign(counts, { factory });
}

for (const [backend, open] of backends) {
  describe(`clusterer service on ${backend}`, function () {
    this.timeout(60_000);
    let db: TestDatabase;
    let h: ClustererHarness;

    beforeEach(async () => {
      db = await open();
      h = new ClustererHarness(db);
      await h.recordOutputs();
    });
    afterEach(async () => {
      await h.close();
      await db.close();
    });

    it('pools, discovers, assigns and announces each change once with rising versions', async () => {
      const service = await h.startService({ engineFactory: fakeEngineFactory });
      expect(service.role).to.equal('active');
      const broker = await h.broker();
      const first = [...topic('rates', 1, 0, 4), ...topic('storm', 2, 0, 3)];
      await broker.publish(first.map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === first.length, { what: 'pooled' });
      expect(h.of(EVENT_TYPES.itemClustered).every((e) => e.data.method === 'pooled')).to.equal(true);

      const [report] = await service.discoverNow();
      expect(report!.changes.filter((c) => c.kind === 'cluster-created')).to.have.length(2);
      await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 2, { what: 'created' });
      const created = h.of(EVENT_TYPES.clusterCreated);
      expect(created.map((e) => e.data.size).sort()).to.deep.equal([3, 4]);
      for (const e of created) {
        expect(e.subject).to.equal(e.data.clusterId);
        expect(e.data.version).to.equal(1);
      }
      const rates = created.find((e) => (e.data.memberItemIds as string[]).includes('rates-0'))!;

      await broker.publish(topic('rates', 1, 4, 2).map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.clusterUpdated).length === 2, { what: 'updated' });
      const updates = h.of(EVENT_TYPES.clusterUpdated);
      expect(updates.map((e) => e.data.clusterId)).to.deep.equal([
        rates.data.clusterId,
        rates.data.clusterId,
      ]);
      expect(updates.map((e) => e.data.version)).to.deep.equal([2, 3]);
      expect(updates.map((e) => e.data.size)).to.deep.equal([5, 6]);

      const prisma = createPrismaClient(PrismaClient, db);
      try {
        const members = await prisma.item.findMany({ where: { clusterId: rates.data.clusterId as string } });
        expect(members.map((m) => m.itemId).sort()).to.deep.equal(
          ['rates-0', 'rates-1', 'rates-2', 'rates-3', 'rates-4', 'rates-5'].sort(),
        );
        const stored = await prisma.cluster.findUnique({
          where: { clusterId: rates.data.clusterId as string },
        });
        expect(stored!.version).to.equal(3);
        expect(stored!.size).to.equal(6);
      } finally {
        await prisma.$disconnect();
      }

      // Replays (same event ids) and re-sends (new ids for known items) change nothing.
      const seen = h.emitted.length;
      const all = [...first, ...topic('rates', 1, 4, 2)];
      await broker.publish(all.map((i) => embeddedMessage(i)));
      await broker.publish(all.map((i) => embeddedMessage(i, crypto.randomUUID())));
      expect((await service.discoverNow()).flatMap((r) => r.changes)).to.deep.equal([]);
      await new Promise((r) => setTimeout(r, 300));
      expect(h.emitted.length).to.equal(seen);
    });

    it('restores clusters and ids after a restart', async () => {
      const first = await h.startService({ engineFactory: fakeEngineFactory });
      const broker = await h.broker();
      await broker.publish(topic('rates', 1, 0, 3).map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 3, { what: 'pooled' });
      await first.discoverNow();
      await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 1, { what: 'created' });
      const clusterId = h.of(EVENT_TYPES.clusterCreated)[0]!.data.clusterId;
      await first.stop();

      const second = await h.startService({ engineFactory: fakeEngineFactory });
      expect(second.role).to.equal('active');
      await broker.publish(topic('rates', 1, 3, 1).map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.clusterUpdated).length === 1, { what: 'updated after restart' });
      const update = h.of(EVENT_TYPES.clusterUpdated)[0]!;
      expect(update.data.clusterId).to.equal(clusterId);
      expect(update.data.version).to.equal(2);
      expect(update.data.size).to.equal(4);
      expect((await second.discoverNow()).flatMap((r) => r.changes)).to.deep.equal([]);
    });

    it('discovers on its own: when the pool has grown, and on its schedule', async () => {
      await h.startService({
        engineFactory: fakeEngineFactory,
        engine: { discoveryPoolTrigger: 3 },
        discoveryDebounceMs: 20,
      });
      const broker = await h.broker();
      await broker.publish(topic('rates', 1, 0, 3).map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 1, { what: 'discovery when due' });
      await h.close();

      await h.recordOutputs();
      const counting = countingPasses();
      await h.startService({ engineFactory: counting.factory, discoveryIntervalMs: 100 });
      const again = await h.broker();
      await again.publish(topic('storm', 2, 0, 3).map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 2, { what: 'scheduled discovery' });

      // Nothing new pooled: the schedule skips the pass (it would cost a pass over the window).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const idle = counting.passes;
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(counting.passes, 'scheduled passes with nothing new pooled').to.equal(idle);
      await again.publish(topic('quake', 3, 0, 1).map((i) => embeddedMessage(i)));
      await waitFor(() => counting.passes > idle, { what: 'a scheduled pass once an item is pooled' });
    });

    // Another connection holds the outbox, so the batch that pools the items cannot commit: the
    // engine's queue waits while the timer fires again and again (PGlite has one connection).
    const onPostgres = backend === 'PostgreSQL' ? it : undefined;
    onPostgres?.(
      'a scheduled pass that waited behind a slow one skips when that one took the pool',
      async () => {
        const counting = countingPasses();
        await h.startService({ engineFactory: counting.factory, discoveryIntervalMs: 50 });
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const holder = db.sql.transaction(async (tx) => {
          await tx.query(`LOCK TABLE "${db.schema}".outbox_events IN EXCLUSIVE MODE`);
          await released;
        });
        try {
          const broker = await h.broker();
          await broker.publish(topic('storm', 2, 0, 3).map((i) => embeddedMessage(i)));
          await waitFor(
            async () =>
              (
                await db.sql.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND relation = $1::regclass`, [
                  `"${db.schema}".outbox_events`,
                ])
              ).length > 0,
            { what: 'the batch waiting for the outbox' },
          );
          await new Promise((resolve) => setTimeout(resolve, 500));
        } finally {
          release();
          await holder;
        }
        await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 1, { what: 'created' });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(counting.passes, 'the pass that took the pool ran').to.be.at.least(1);
        expect(counting.idlePasses, 'passes over a pool with nothing new').to.equal(0);
      },
    );

    it('retires quiet clusters in maintenance and does not bring them back after a restart', async () => {
      const service = await h.startService({ engineFactory: fakeEngineFactory, processedRetentionMs: 0 });
      const broker = await h.broker();
      await broker.publish(topic('rates', 1, 0, 3).map((i) => embeddedMessage(i)));
      await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 3, { what: 'pooled' });
      await service.discoverNow();
      await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 1, { what: 'created' });
      const clusterId = h.of(EVENT_TYPES.clusterCreated)[0]!.data.clusterId as string;

      h.now = new Date(h.now.getTime() + 8 * 24 * 3_600_000);
      const [report] = await service.maintainNow();
      expect(report!.changes.map((c) => c.kind)).to.deep.equal(['cluster-retired']);
      await waitFor(() => h.of(EVENT_TYPES.clusterRetired).length === 1, { what: 'retired' });
      expect(h.of(EVENT_TYPES.clusterRetired)[0]!.data).to.include({ clusterId, version: 2 });
      const processed = await db.sql.query(`SELECT 1 FROM "${db.schema}".processed_events`);
      expect(processed, 'maintenance prunes processed event ids').to.have.length(0);
      await service.stop();

      await h.startService({ engineFactory: fakeEngineFactory });
      await broker.publish(topic('rates', 1, 3, 1).map((i) => embeddedMessage(i)));
      const placed = () => h.of(EVENT_TYPES.itemClustered).filter((e) => e.subject === 'rates-3');
      await waitFor(() => placed().length === 1, { what: 'placed after restart' });
      expect(placed()[0]!.data).to.include({ method: 'pooled', clusterId: null });
      // Their event ids are forgotten, the items are not: a late redelivery still changes nothing.
      const seen = h.emitted.length;
      await broker.publish(topic('rates', 1, 0, 3).map((i) => embeddedMessage(i)));
      await waitFor(
        async () => (await db.sql.query(`SELECT 1 FROM "${db.schema}".processed_events`)).length === 4,
        { what: 'redeliveries handled' },
      );
      expect(h.emitted.length).to.equal(seen);
      expect(h.of(EVENT_TYPES.clusterUpdated)).to.have.length(0);
    });

    it('dead-letters bad vectors and unknown versions with the reason', async () => {
      await h.startService({ engineFactory: fakeEngineFactory });
      const broker = await h.broker();
      const good = topic('rates', 1, 0, 1)[0]!;
      const zero = embeddedMessage({ ...good, itemId: 'zero', vector: new Float32Array(DIM) });
      const wrongDim = embeddedMessage({ ...good, itemId: 'short', vector: new Float32Array([1, 0, 0]) });
      const nan = embeddedMessage({ ...good, itemId: 'nan', vector: new Float32Array(DIM).fill(Number.NaN) });
      const v9 = { ...embeddedMessage({ ...good, itemId: 'v9' }), type: 'trendmill.item.embedded.v9' };
      v9.body = Buffer.from(v9.body.toString().replace(EVENT_TYPES.itemEmbedded, v9.type));
      const mismatch = JSON.parse(embeddedMessage({ ...good, itemId: 'liar' }).body.toString());
      mismatch.data.dim = DIM + 1;
      await broker.publish(embeddedMessage(good));
      await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 1, { what: 'good item' });
      await broker.publish([
        zero,
        wrongDim,
        nan,
        v9,
        { id: mismatch.id, type: mismatch.type, key: 'liar', body: Buffer.from(JSON.stringify(mismatch)) },
      ]);
      await waitFor(async () => (await broker.deadLetters.depth('clusterer')) === 5, {
        what: 'dead letters',
      });
      const reasons = new Map(
        (await broker.deadLetters.list({ group: 'clusterer' })).map((d) => [d.key, d.reason]),
      );
      expect(reasons.get('zero')).to.match(/zero length/);
      expect(reasons.get('short')).to.match(/3 dimensions for model "test-model-v1", whose vectors have 16/);
      expect(reasons.get('nan')).to.match(/non-finite/);
      expect(reasons.get('v9')).to.match(/unknown event type or version "trendmill.item.embedded.v9"/);
      expect(reasons.get('liar')).to.match(/vector length does not match dim/);
      expect(h.of(EVENT_TYPES.itemClustered)).to.have.length(1);
    });
  });
}
