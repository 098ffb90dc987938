import { expect } from 'chai';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  sleep,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import type { CollectorService } from '../../../src/service/collector-service.js';
import { FeedServer, entry } from './feed-server.js';
import { CollectorHarness } from './harness.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'collector' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'collector' })],
];

/** The collector's lease on a source: the longest fetch (120 s by default) plus a minute. */
const LEASE_SECONDS = 180;

/** Polls this service finished (any outcome), from its own metrics. */
async function pollsBy(service: CollectorService): Promise<number> {
  const metric = await service.metrics.polls.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

for (const [backend, open] of backends) {
  describe(`collector scheduler on ${backend}`, function () {
    this.timeout(60_000);
    let db: TestDatabase;
    let h: CollectorHarness;
    let feed: FeedServer;

    beforeEach(async () => {
      db = await open();
      h = new CollectorHarness(db);
      await h.recordOutputs();
      feed = await new FeedServer().start();
    });
    afterEach(async () => {
      feed.releaseHeld();
      await h.stop();
      await feed.close();
      await db.close();
    });

    const row = async (service: CollectorService, id: string) => (await service.store.getSource(id))!;
    const polledNow = async (service: CollectorService, id: string) =>
      (await row(service, id)).lastPolledAt?.getTime() === h.now.getTime();

    it('polls due sources on its own, and leaves the ones not yet due alone', async () => {
      feed.add(entry(1));
      const service = await h.startService({ scheduler: true, tickMs: 20 });
      const often = await service.createSource({
        type: 'feed',
        url: feed.url('/often.xml'),
        intervalSeconds: 600,
        jitter: 0,
      });
      const rarely = await service.createSource({
        type: 'feed',
        url: feed.url('/rarely.xml'),
        intervalSeconds: 3600,
        jitter: 0,
      });
      await waitFor(
        async () => (await polledNow(service, often.id)) && (await polledNow(service, rarely.id)),
        {
          what: 'both sources polled when created',
        },
      );
      await waitFor(() => h.collected().length === 2, { what: 'one item from each source' });

      feed.add(entry(2));
      h.advance(600);
      await waitFor(() => polledNow(service, often.id), { what: 'the 600 s source polled again' });
      await waitFor(() => h.collected().length === 3, { what: 'the new item of the 600 s source' });
      // Both were looked at in the same claim; the one not due was not taken.
      const notDue = await row(service, rarely.id);
      expect(notDue.leaseOwner).to.equal(null);
      expect(feed.hits('/rarely.xml')).to.have.length(1);
      expect(feed.hits('/often.xml')).to.have.length(2);

      h.advance(3000);
      await waitFor(
        async () => (await polledNow(service, often.id)) && (await polledNow(service, rarely.id)),
        {
          what: 'both polled once the hour is up',
        },
      );
      await waitFor(() => h.collected().length === 4, { what: 'the new item of the hourly source' });
      expect(h.collected().filter((e) => e.data.sourceId === rarely.id)).to.have.length(2);
    });

    it('two replicas on one database poll each due source exactly once per interval', async () => {
      feed.delayMs = 40; // polls overlap, so both replicas have work in flight at once
      feed.add(entry(1), entry(2));
      const replicas = [
        await h.startService({ scheduler: true, tickMs: 20, concurrency: 2 }),
        await h.startService({ scheduler: true, tickMs: 20, concurrency: 2 }),
      ];
      const paths = Array.from({ length: 8 }, (_, i) => `/feed-${i}.xml`);
      const ids: string[] = [];
      for (const path of paths) {
        const source = await replicas[0]!.createSource({
          type: 'feed',
          url: feed.url(path),
          intervalSeconds: 600,
          jitter: 0,
        });
        ids.push(source.id);
      }

      for (let round = 0; round < 3; round++) {
        if (round > 0) {
          feed.add(entry(round + 2));
          // All sources share one schedule (no jitter): move to when they are next due.
          const next = await Promise.all(ids.map(async (id) => (await row(replicas[0]!, id)).nextPollAt!));
          h.now = new Date(Math.max(...next.map((d) => d.getTime())));
        }
        await waitFor(
          async () => (await Promise.all(ids.map((id) => polledNow(replicas[0]!, id)))).every(Boolean),
          {
            what: `every source polled in round ${round}`,
          },
        );
        // Once each source's poll is recorded its next poll is in the future: no further claim can
        // happen until the clock moves, so these counts are final for the round.
        for (const path of paths)
          expect(feed.hits(path), `${path} in round ${round}`).to.have.length(round + 1);
        const expected = paths.length * (round + 2);
        await waitFor(() => h.collected().length >= expected, { what: `${expected} item.collected` });
      }
      await sleep(300);
      const keys = h.collected().map((e) => `${String(e.data.sourceId)} ${String(e.data.externalId)}`);
      expect(keys).to.have.length(paths.length * 4);
      expect(new Set(keys).size).to.equal(keys.length);
      const perReplica = await Promise.all(replicas.map(pollsBy));
      expect(perReplica[0]! + perReplica[1]!).to.equal(paths.length * 3);
      // Both took part; otherwise this would not have tested two replicas at all.
      expect(perReplica[0], 'polls by replica 1').to.be.greaterThan(0);
      expect(perReplica[1], 'polls by replica 2').to.be.greaterThan(0);
    });

    it('a replica that died holding a lease blocks its source only until the lease runs out', async () => {
      feed.add(entry(1));
      const dying = await h.startService();
      const orphan = await dying.createSource({
        type: 'feed',
        url: feed.url('/orphan.xml'),
        intervalSeconds: 600,
        jitter: 0,
      });
      const canary = await dying.createSource({
        type: 'feed',
        url: feed.url('/canary.xml'),
        intervalSeconds: 60,
        jitter: 0,
      });
      // What a replica that crashed right after claiming leaves behind: a lease, and nothing else.
      const claimed = await dying.store.claimOne(orphan.id, dying.owner, LEASE_SECONDS * 1000, h.now);
      expect(claimed?.leaseOwner).to.equal(dying.owner);
      await dying.stop();
      h.services.splice(h.services.indexOf(dying), 1);

      const survivor = await h.startService({ scheduler: true, tickMs: 20 });
      for (const seconds of [0, 100]) {
        h.advance(seconds);
        await waitFor(() => polledNow(survivor, canary.id), { what: `the canary polled at +${seconds} s` });
        const held = await row(survivor, orphan.id);
        expect(held.leaseOwner).to.equal(dying.owner);
        expect(held.lastPolledAt).to.equal(null);
        expect(feed.hits('/orphan.xml')).to.have.length(0);
      }

      h.advance(LEASE_SECONDS - 100 + 1); // the lease has run out
      await waitFor(() => polledNow(survivor, orphan.id), { what: 'the orphaned source taken over' });
      expect(feed.hits('/orphan.xml')).to.have.length(1);
      const taken = await row(survivor, orphan.id);
      expect(taken.leaseOwner).to.equal(null);
      expect(taken.successes).to.equal(1);
      await waitFor(() => h.collected().some((e) => e.data.sourceId === orphan.id), {
        what: 'the orphaned source item collected',
      });
    });

    it('a replica stalled mid-fetch loses the source when its lease runs out, and its late answer emits nothing twice', async () => {
      feed.add(entry(1), entry(2));
      // Concurrency 1: once its one poll hangs it claims nothing else, so every other poll is the second replica's.
      const stalled = await h.startService({ scheduler: true, tickMs: 20, concurrency: 1 });
      feed.held.add('/stuck.xml');
      const stuck = await stalled.createSource({
        type: 'feed',
        url: feed.url('/stuck.xml'),
        intervalSeconds: 600,
        jitter: 0,
      });
      await waitFor(() => feed.heldCount === 1, { what: 'the first replica stuck on the feed' });
      expect((await row(stalled, stuck.id)).leaseOwner).to.equal(stalled.owner);

      const other = await h.startService({ scheduler: true, tickMs: 20 });
      const canary = await other.createSource({
        type: 'feed',
        url: feed.url('/canary.xml'),
        intervalSeconds: 60,
        jitter: 0,
      });
      for (const seconds of [0, 120]) {
        h.advance(seconds);
        await waitFor(() => polledNow(other, canary.id), { what: `the canary polled at +${seconds} s` });
        expect((await row(other, stuck.id)).leaseOwner).to.equal(stalled.owner);
        expect(feed.hits('/stuck.xml')).to.have.length(1);
      }

      feed.held.delete('/stuck.xml'); // new requests are answered; the stalled one still waits
      h.advance(LEASE_SECONDS - 120 + 1);
      await waitFor(() => polledNow(other, stuck.id), { what: 'the stuck source taken over' });
      expect(feed.hits('/stuck.xml')).to.have.length(2);
      await waitFor(() => h.collected().filter((e) => e.data.sourceId === stuck.id).length === 2, {
        what: 'the two items collected by the second replica',
      });
      expect(await pollsBy(stalled)).to.equal(0);

      // The stalled fetch finally gets its answer: the items are known, so nothing is emitted again.
      feed.releaseHeld();
      await waitFor(async () => (await pollsBy(stalled)) >= 1, { what: 'the stalled poll finished' });
      await sleep(300);
      const items = h.collected().filter((e) => e.data.sourceId === stuck.id);
      expect(items.map((e) => e.data.externalId)).to.have.members(['urn:test:item-1', 'urn:test:item-2']);
      const log = await other.store.fetchLog(stuck.id, 10);
      expect(log.map((f) => [f.outcome, f.itemsNew])).to.deep.equal([
        ['unchanged', 0], // the late one: found both, both already seen
        ['changed', 2],
      ]);
    });

    it('skips paused sources on every replica until they are resumed', async () => {
      feed.add(entry(1));
      // Set up before any scheduler runs, so the paused source is never polled at all.
      const admin = await h.startService();
      const active = await admin.createSource({
        type: 'feed',
        url: feed.url('/active.xml'),
        intervalSeconds: 600,
        jitter: 0,
      });
      const paused = await admin.createSource({
        type: 'feed',
        url: feed.url('/paused.xml'),
        intervalSeconds: 600,
        jitter: 0,
      });
      await admin.pause(paused.id);
      const replicas = [
        await h.startService({ scheduler: true, tickMs: 20 }),
        await h.startService({ scheduler: true, tickMs: 20 }),
      ];
      const a = replicas[0]!;
      await waitFor(() => polledNow(a, active.id), { what: 'the active source polled' });
      expect(feed.hits('/paused.xml')).to.have.length(0);

      for (let round = 1; round <= 3; round++) {
        h.advance(5000);
        await waitFor(() => polledNow(a, active.id), { what: `the active source polled in round ${round}` });
        const skipped = await row(a, paused.id);
        expect(skipped.status).to.equal('paused');
        expect(skipped.leaseOwner, `round ${round}`).to.equal(null);
        expect(feed.hits('/paused.xml'), `round ${round}`).to.have.length(0);
        expect(feed.hits('/active.xml'), `round ${round}`).to.have.length(round + 1);
      }

      await replicas[1]!.resume(paused.id);
      await waitFor(() => polledNow(a, paused.id), { what: 'the resumed source polled' });
      expect(feed.hits('/paused.xml')).to.have.length(1);
    });
  });
}
