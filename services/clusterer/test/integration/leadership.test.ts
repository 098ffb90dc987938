import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { openDatabase, type Database } from '@trendmill/platform';
import {
  TEST_POSTGRES_URL,
  createPostgresTestDatabase,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { leaderLockKey } from '../../src/leadership/leader-lock.js';
import { fakeEngineFactory } from './fake-engine.js';
import { ClustererHarness, axis, embeddedMessage, vectorNear, type TestItem } from './harness.js';

const DIM = 8;
const items = (from: number, n: number): TestItem[] =>
  Array.from({ length: n }, (_, i) => ({
    itemId: `lead-${from + i}`,
    title: `leadership story ${from + i}`,
    vector: vectorNear(axis(DIM, 3), from + i),
  }));

describe('clusterer replicas on PostgreSQL: one active, the standby takes over', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let replicaDb: Database;
  let h: ClustererHarness;

  beforeEach(async () => {
    db = await createPostgresTestDatabase({ prefix: 'clusterlead' });
    // A second replica: same schema, its own pool, as another process would have.
    replicaDb = await openDatabase({ url: TEST_POSTGRES_URL, schema: db.schema });
    h = new ClustererHarness(db);
    await h.recordOutputs();
  });
  afterEach(async () => {
    await h.close();
    await replicaDb.close();
    await db.close();
  });

  const holders = async () =>
    (
      await db.sql.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
            AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [leaderLockKey(db.schema)],
      )
    ).map((r) => r.pid);

  it('only the lock holder consumes; stopping it hands over with the same clusters', async () => {
    const active = await h.startService({ engineFactory: fakeEngineFactory });
    const standby = await h.startService({ engineFactory: fakeEngineFactory }, { db: replicaDb });
    expect([active.role, standby.role]).to.deep.equal(['active', 'standby']);
    expect(await holders()).to.have.length(1);

    const broker = await h.broker();
    await broker.publish(items(0, 3).map((i) => embeddedMessage(i)));
    await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 3, { what: 'pooled by the active one' });
    expect(await standby.discoverNow()).to.deep.equal([]);
    await active.discoverNow();
    await waitFor(() => h.of(EVENT_TYPES.clusterCreated).length === 1, { what: 'created' });
    const clusterId = h.of(EVENT_TYPES.clusterCreated)[0]!.data.clusterId;

    await active.stop();
    await waitFor(() => standby.role === 'active', { what: 'standby takes over' });
    await broker.publish(items(3, 1).map((i) => embeddedMessage(i)));
    await waitFor(() => h.of(EVENT_TYPES.clusterUpdated).length === 1, { what: 'update by the new leader' });
    expect(h.of(EVENT_TYPES.clusterUpdated)[0]!.data).to.include({ clusterId, version: 2, size: 4 });
    expect(h.of(EVENT_TYPES.clusterCreated)).to.have.length(1);
  });

  it('a leader whose database session dies steps down and the standby takes over', async () => {
    // The first replica only retries the lock once a minute, so the standby wins the race.
    const first = await h.startService({ engineFactory: fakeEngineFactory, leaderCheckIntervalMs: 60_000 });
    const second = await h.startService({ engineFactory: fakeEngineFactory }, { db: replicaDb });
    expect(first.role).to.equal('active');
    const [pid] = await holders();
    await db.sql.query('SELECT pg_terminate_backend($1)', [pid]);

    await waitFor(() => first.role === 'standby' && second.role === 'active', { what: 'failover' });
    const [newHolder] = await holders();
    expect(newHolder).to.be.a('number').and.not.equal(pid);

    const broker = await h.broker();
    await broker.publish(items(10, 2).map((i) => embeddedMessage(i)));
    await waitFor(() => h.of(EVENT_TYPES.itemClustered).length === 2, { what: 'consumed by the new leader' });
  });
});
