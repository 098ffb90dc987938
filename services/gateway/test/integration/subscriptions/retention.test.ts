import { expect } from 'chai';
import { createPostgresTestDatabase, type TestDatabase } from '@trendmill/platform/testing';
import {
  clusterCreated,
  migrateGateway,
  startReceiver,
  startReplica,
  type GatewayReplica,
} from './harness.js';

describe('gateway event log retention (PostgreSQL)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let gateway: GatewayReplica;

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwretain' });
    await migrateGateway(db);
    gateway = await startReplica(db, { dispatcher: false, eventLog: { retentionHours: 24 } });
  });
  after(async () => {
    await gateway?.stop();
    await db?.cleanup();
  });

  it('prunes entries past retention, but keeps those a pending webhook delivery still needs', async () => {
    const hook = await startReceiver();
    try {
      const res = await fetch(`${gateway.baseUrl}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: hook.url, types: ['cluster.created'] }),
      });
      const { id } = (await res.json()) as { id: string };
      const [old, awaited, fresh] = [
        clusterCreated('old'),
        clusterCreated('awaited'),
        clusterCreated('fresh'),
      ];
      const seqs = [];
      for (const event of [old, awaited, fresh]) seqs.push((await gateway.eventLog.append(event))!);
      const log = `"${db.schema}".event_log`;
      await db.sql.query(
        `UPDATE ${log} SET appended_at = now() - interval '30 hours' WHERE seq = ANY($1::bigint[])`,
        [seqs.slice(0, 2)],
      );
      await db.sql.query(
        `INSERT INTO "${db.schema}".webhook_deliveries (subscription_id, event_seq, event_id, event_type, next_attempt_at)
         VALUES ($1, $2, $3, $4, now())`,
        [id, seqs[1], awaited.id, awaited.type],
      );

      expect(await gateway.eventLog.prune()).to.equal(1);
      const left = (await gateway.eventLog.read(0, [], 100)).map((e) => e.id);
      expect(left).to.deep.equal([awaited.id, fresh.id]);
      expect(await gateway.eventLog.oldest()).to.equal(seqs[1]);
    } finally {
      await hook.close();
    }
  });
});
