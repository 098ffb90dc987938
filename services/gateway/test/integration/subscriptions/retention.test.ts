import { expect } from 'chai';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import {
  clusterCreated,
  migrateGateway,
  openSse,
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

      // A client resuming from before the pruned entry is told, then gets what is left.
      const client = await openSse(`${gateway.baseUrl}/stream`, { 'last-event-id': String(seqs[0]! - 1) });
      try {
        await waitFor(() => client.messages.length === 3, { what: 'the gap notice and two events' });
        expect(client.messages[0]!.event).to.equal('gap');
        expect(JSON.parse(client.messages[0]!.data)).to.deep.equal({
          after: seqs[0]! - 1,
          oldestRetained: seqs[1],
        });
        expect(client.messages.slice(1).map((m) => Number(m.id))).to.deep.equal(seqs.slice(1));
      } finally {
        await client.close();
      }
    } finally {
      await hook.close();
    }
  });
});
